using System.CommandLine;
using System.CommandLine.Help;

namespace Glassbox.Cli;

/// <summary>
/// The <c>glassbox</c> command line, callable in-process: <see cref="Run"/> parses, dispatches and
/// returns the exit code, writing only to the given writers.
/// </summary>
public static class GlassboxCli
{
    /// <summary>
    /// The root command with every subcommand, writing to <paramref name="context"/>. Named
    /// <c>glassbox</c> (not after the running executable, which is <c>testhost</c> in tests).
    /// </summary>
    public static Command BuildRootCommand(CliContext context) => new("glassbox", "Glassbox: a mechanistic-interpretability runtime for .NET.")
    {
        new HelpOption(),
        new VersionOption(),
        InspectCommand.Create(context),
        CacheCommand.Create(context),
        GenerateCommand.Create(context),
        TokenizeCommand.Create(context),
        BenchCommand.Create(context),
        ScoresCommand.Create(context),
        AttributionCommand.Create(context),
        AblateCommand.Create(context),
        PatchCommand.Create(context),
        DemoCommand.Create(context),
    };

    /// <summary>
    /// Runs <c>glassbox <paramref name="args"/></c>. Returns <see cref="ExitCodes"/>: 0 on success, 2 for
    /// usage errors, 1 for run-time and file errors, 130 when <paramref name="cancellation"/> fires.
    /// Errors are one line on <paramref name="stderr"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellation = default)
    {
        try
        {
            var context = new CliContext(stdout, stderr, cancellation)
            {
                ShowProgress = ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected,
            };
            var parse = BuildRootCommand(context).Parse(args);
            // --help wins over errors, like everywhere else ("glassbox cache --help" lacks --out).
            if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
                return ErrorReporting.ReportParseErrors(parse, stderr);
            return parse.Invoke(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // Ctrl-C is the caller's cancellation token.
            });
        }
        catch (Exception e)
        {
            return ErrorReporting.Report(e, stderr);
        }
    }
}

using System.CommandLine;
using System.Text.RegularExpressions;
using Glassbox.Hooks;
using Glassbox.Loading;
using Glassbox.Tokenizers;

namespace Glassbox.Cli;

/// <summary>
/// Turns failures into exactly one line on stderr (<c>glassbox: message</c>) and an exit code — never
/// a stack trace. Set <c>GLASSBOX_TRACE=1</c> to get the full exception as well, for bug reports.
/// </summary>
public static partial class ErrorReporting
{
    public const string Prefix = "glassbox: ";

    /// <summary>Reports <paramref name="exception"/> and returns the exit code it maps to.</summary>
    public static int Report(Exception exception, TextWriter stderr)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate) exception = aggregate.InnerExceptions[0];
        (int code, string message) = exception switch
        {
            OperationCanceledException => (ExitCodes.Cancelled, "cancelled"),
            UsageException e => (ExitCodes.Usage, e.Message),
            UnknownHookException e => (ExitCodes.Usage, e.Message),
            FileNotFoundException or DirectoryNotFoundException or InvalidDataException or NotSupportedException
                or SafetensorsFormatException or TokenizerFormatException or UnauthorizedAccessException or IOException => (ExitCodes.Failure, exception.Message),
            ArgumentException e => (ExitCodes.Failure, WithoutParameterName(e)),
            OutOfMemoryException => (ExitCodes.Failure, "out of memory (try a smaller --batch/--seq or a narrower --names filter)"),
            _ => (ExitCodes.Failure, $"internal error ({exception.GetType().Name}): {exception.Message}"),
        };
        WriteLine(stderr, message);
        if (Environment.GetEnvironmentVariable("GLASSBOX_TRACE") is "1" or "true") stderr.WriteLine(exception);
        return code;
    }

    /// <summary>Reports parse errors (unknown option, malformed value, missing argument) on one line with a pointer to --help.</summary>
    public static int ReportParseErrors(ParseResult parse, TextWriter stderr)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, result.Command.Name);
        var messages = parse.Errors.Select(e => e.Message.Trim().TrimEnd('.')).Distinct().ToList();
        // "glassbox frobnicate" also lacks a command; the unrecognized word is the news.
        if (messages.Count > 1) messages.RemoveAll(m => m.StartsWith("Required command was not provided", StringComparison.Ordinal));
        WriteLine(stderr, $"{string.Join("; ", messages)}; see '{string.Join(' ', names)} --help'.");
        return ExitCodes.Usage;
    }

    /// <summary>Writes <c>glassbox: message</c> on one line, whatever line breaks the message had.</summary>
    public static void WriteLine(TextWriter stderr, string message)
        => stderr.WriteLine(Prefix + LineBreaks().Replace(message.Trim(), " "));

    static string WithoutParameterName(ArgumentException e)
        => e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    [GeneratedRegex(@"\s*[\r\n]+\s*")]
    private static partial Regex LineBreaks();
}

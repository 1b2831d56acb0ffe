using Glassbox.Cli;

namespace Glassbox.Tests.Cli;

/// <summary>What one in-process <c>glassbox</c> invocation printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The stderr lines (without the trailing empty one).</summary>
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Asserts the contract for failures: the exit code, exactly one <c>glassbox: </c> line on stderr, no stack trace, nothing on stdout.</summary>
    public string ShouldFailWith(int exitCode)
    {
        ExitCode.Should().Be(exitCode, $"stderr was: {Error}");
        ErrorLines.Should().ContainSingle($"an error is one line; stderr was: {Error}");
        Error.Should().StartWith("glassbox: ");
        Error.Should().NotContain("   at ", "no stack trace").And.NotContain("Exception");
        Out.Should().BeEmpty();
        return ErrorLines[0];
    }

    public CliResult ShouldSucceed()
    {
        ExitCode.Should().Be(ExitCodes.Success, $"stderr was: {Error}");
        Error.Should().BeEmpty();
        return this;
    }
}

/// <summary>Runs the CLI in-process with captured writers.</summary>
public static class Cli
{
    public static CliResult Run(params string[] args) => Run(CancellationToken.None, args);

    public static CliResult Run(CancellationToken cancellation, params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = GlassboxCli.Run(args, stdout, stderr, cancellation);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    public static string TinyModel => SharedFiles.Reference("gpt2-tiny");
}

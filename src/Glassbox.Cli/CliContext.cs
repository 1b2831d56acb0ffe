namespace Glassbox.Cli;

/// <summary>Where a command writes and what stops it: the process's console, or a test's writers.</summary>
public sealed record CliContext(TextWriter Out, TextWriter Error, CancellationToken Cancellation)
{
    /// <summary>
    /// Whether long sweeps draw progress bars on <see cref="Error"/>: only when it is the process's stderr
    /// and that is a terminal (never for captured writers or redirected output).
    /// </summary>
    public bool ShowProgress { get; init; }

    /// <summary>Runs a command body, turning any exception into one line on <see cref="Error"/> and an exit code.</summary>
    public int Execute(Func<int> body)
    {
        try
        {
            Cancellation.ThrowIfCancellationRequested();
            return body();
        }
        catch (Exception e)
        {
            return ErrorReporting.Report(e, Error);
        }
    }
}

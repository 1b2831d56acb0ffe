using Spectre.Console;

namespace Glassbox.Cli;

/// <summary>
/// Progress of a command's long sweeps: Spectre.Console bars on stderr when it is a terminal
/// (<see cref="CliContext.ShowProgress"/>), nothing otherwise (tests, pipes, redirected output). Either
/// way every report checks the cancellation token, so Ctrl-C stops a sweep between forward passes
/// (the analysis sweeps report after each pass, on the calling thread). The bars are cleared when the
/// command ends, so only the results remain.
/// </summary>
internal sealed class ProgressDisplay
{
    readonly CliContext _context;
    readonly ProgressContext? _bars;

    ProgressDisplay(CliContext context, ProgressContext? bars)
    {
        _context = context;
        _bars = bars;
    }

    /// <summary>Runs <paramref name="body"/> with a display it can add tasks to.</summary>
    public static T Run<T>(CliContext context, Func<ProgressDisplay, T> body)
    {
        if (!context.ShowProgress) return body(new ProgressDisplay(context, null));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(bars => body(new ProgressDisplay(context, bars)));
    }

    /// <summary>
    /// A task named <paramref name="description"/>: its reports (0 to 1) move the bar and throw
    /// <see cref="OperationCanceledException"/> once cancellation is requested.
    /// </summary>
    public IProgress<double> Task(string description) => new Reporter(_context.Cancellation, _bars?.AddTask(Markup.Escape(description), maxValue: 1.0));

    /// <summary>Stops here if cancellation was requested (between steps that report no progress).</summary>
    public void Check() => _context.Cancellation.ThrowIfCancellationRequested();

    sealed class Reporter(CancellationToken cancellation, ProgressTask? task) : IProgress<double>
    {
        public void Report(double value)
        {
            cancellation.ThrowIfCancellationRequested();
            if (task is not null) task.Value = Math.Clamp(value, 0, 1);
        }
    }
}

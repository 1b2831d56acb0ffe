using Glassbox.Cli;

// The first Ctrl-C asks the command to stop at its next safe point (exit code 130, no partial
// output file); a second one ends the process at once.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancellation.IsCancellationRequested) return;
    e.Cancel = true;
    cancellation.Cancel();
};
return GlassboxCli.Run(args, Console.Out, Console.Error, cancellation.Token);

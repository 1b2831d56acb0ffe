namespace Glassbox.Cli;

/// <summary>A command-line argument the command cannot accept; reported as one line with exit code <see cref="ExitCodes.Usage"/>.</summary>
public sealed class UsageException(string message) : Exception(message);

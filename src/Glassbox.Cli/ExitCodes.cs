namespace Glassbox.Cli;

/// <summary>The process exit codes of <c>glassbox</c>.</summary>
public static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>A run-time or file error: a missing or malformed model, an unwritable output, ...</summary>
    public const int Failure = 1;

    /// <summary>Bad command-line usage: unknown option, malformed value, unknown preset or hook name, ...</summary>
    public const int Usage = 2;

    /// <summary>Stopped by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}

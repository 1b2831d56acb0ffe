using System.Diagnostics;
using System.Text;

namespace Glassbox.Tests.Visualization;

/// <summary>
/// Headless Chromium for the browser tests: renders a file to a screenshot or dumps the DOM after its
/// scripts ran. Each run gets a fresh profile folder, no network features, and a time limit after which
/// the whole process tree is killed. A missing browser is a failure, not a skip: CI installs it.
/// </summary>
internal static class Chromium
{
    const string DefaultPath = "/usr/bin/chromium";
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>The browser: $GLASSBOX_CHROMIUM if set, else /usr/bin/chromium.</summary>
    public static string Executable
    {
        get
        {
            string path = Environment.GetEnvironmentVariable("GLASSBOX_CHROMIUM") is { Length: > 0 } custom ? custom : DefaultPath;
            if (!File.Exists(path))
                throw new InvalidOperationException(
                    $"The browser tests need Chromium at {path}, and it is missing. Install it with " +
                    "`apt-get update && apt-get install -y chromium` (Debian; .ci/run does this), " +
                    "or point GLASSBOX_CHROMIUM at a Chromium or Chrome binary.");
            return path;
        }
    }

    /// <summary>A screenshot of <paramref name="file"/> at <paramref name="width"/> × <paramref name="height"/>, decoded.</summary>
    public static Png Screenshot(string file, int width = 1200, int height = 900)
    {
        using var folder = new TempFolder();
        string png = folder.File("screenshot.png");
        Run(folder, [$"--screenshot={png}", $"--window-size={width},{height}", "--hide-scrollbars", "--virtual-time-budget=2000", Url(file)]);
        if (!File.Exists(png)) throw new InvalidOperationException($"Chromium wrote no screenshot of {file}.");
        return Png.Read(png);
    }

    /// <summary>The serialised DOM of <paramref name="file"/> after its scripts ran.</summary>
    public static string DumpDom(string file, int width = 1200, int height = 900)
    {
        using var folder = new TempFolder();
        return Run(folder, ["--dump-dom", $"--window-size={width},{height}", "--virtual-time-budget=2000", Url(file)]);
    }

    static string Url(string file) => new Uri(Path.GetFullPath(file)).AbsoluteUri;

    static string Run(TempFolder folder, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-extensions", "--mute-audio", $"--user-data-dir={folder.File("profile")}",
                 }.Concat(arguments))
            start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Append(e.Data).Append('\n'); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"Chromium did not finish within {Limit.TotalSeconds} s and was killed. stderr:\n{Tail(stderr)}");
        }
        process.WaitForExit();   // drains the redirected streams
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Chromium exited with {process.ExitCode}. stderr:\n{Tail(stderr)}");
        lock (stdout) return stdout.ToString();
    }

    static string Tail(StringBuilder text)
    {
        lock (text)
        {
            string s = text.ToString();
            return s.Length <= 2000 ? s : s[^2000..];
        }
    }
}

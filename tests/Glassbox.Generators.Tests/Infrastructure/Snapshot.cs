using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Glassbox.Generators.Tests.Infrastructure;

/// <summary>
/// Checked-in snapshots of generated files: <c>Snapshots/&lt;Test&gt;/&lt;HintName&gt;.verified.cs</c>, one per
/// hint name, and exactly that set. A mismatch writes <c>.received.cs</c> beside it and fails with a
/// line diff. <c>GLASSBOX_ACCEPT_SNAPSHOTS=1</c> rewrites the verified files instead — refused when
/// <c>CI=true</c>. Version strings are scrubbed so a version bump does not churn every snapshot.
/// </summary>
public static partial class Snapshot
{
    public static void Verify(IReadOnlyDictionary<string, string> files, [CallerMemberName] string test = "", [CallerFilePath] string callerFile = "")
        => VerifyIn(
            Path.Combine(ProjectFolder(callerFile), "Snapshots", test),
            files,
            accept: Environment.GetEnvironmentVariable("GLASSBOX_ACCEPT_SNAPSHOTS") == "1",
            ci: string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase));

    /// <summary>The check itself, with the folder and the two switches explicit (what the helper's own tests drive).</summary>
    public static void VerifyIn(string folder, IReadOnlyDictionary<string, string> files, bool accept, bool ci)
    {
        if (accept && ci)
            throw new InvalidOperationException("GLASSBOX_ACCEPT_SNAPSHOTS=1 is refused when CI=true: accept snapshots locally and commit them.");

        var problems = new StringBuilder();
        var expectedNames = files.Keys.Select(VerifiedName).ToHashSet(StringComparer.Ordinal);
        var existing = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.verified.cs").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal)!
            : new HashSet<string>(StringComparer.Ordinal);

        foreach (var (hintName, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            string actual = Scrub(text);
            string verified = Path.Combine(folder, VerifiedName(hintName));
            string received = Path.Combine(folder, hintName.Replace(".cs", "") + ".received.cs");
            string? expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
            if (expected == actual)
            {
                if (File.Exists(received)) File.Delete(received);
                continue;
            }
            Directory.CreateDirectory(folder);
            if (accept)
            {
                File.WriteAllText(verified, actual);
                if (File.Exists(received)) File.Delete(received);
                continue;
            }
            File.WriteAllText(received, actual);
            problems.AppendLine(expected is null
                ? $"New generated file {hintName}: no {Relative(verified)}; see {Relative(received)}."
                : $"{hintName} differs from {Relative(verified)} (received: {Relative(received)}):{Environment.NewLine}{LineDiff.Render(expected, actual)}");
        }

        foreach (var stale in existing.Where(e => !expectedNames.Contains(e)).Order(StringComparer.Ordinal))
        {
            if (accept) File.Delete(Path.Combine(folder, stale));
            else problems.AppendLine($"{Relative(Path.Combine(folder, stale))} is no longer generated.");
        }

        if (problems.Length > 0)
            throw new SnapshotMismatchException(problems
                + "Run with GLASSBOX_ACCEPT_SNAPSHOTS=1 (not on CI) to accept the received files.");
    }

    /// <summary>Replaces version numbers in <c>[GeneratedCode]</c> and normalizes line endings.</summary>
    public static string Scrub(string text) => Normalize(VersionPattern().Replace(text, "\"Glassbox.Generators\", \"{version}\""));

    static string Normalize(string text) => text.Replace("\r\n", "\n");

    static string VerifiedName(string hintName) => hintName.Replace(".cs", "") + ".verified.cs";

    static string ProjectFolder(string callerFile)
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(callerFile)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Glassbox.Generators.Tests.csproj"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Glassbox.Generators.Tests.csproj above {callerFile}.");
    }

    static string Relative(string path) => Path.Combine("Snapshots", Path.GetFileName(Path.GetDirectoryName(path)!), Path.GetFileName(path));

    [GeneratedRegex("\"Glassbox\\.Generators\", \"[0-9]+(\\.[0-9]+)*\"")]
    private static partial Regex VersionPattern();
}

public sealed class SnapshotMismatchException(string message) : Exception(message);

/// <summary>A small line diff (longest common subsequence) with <c>-</c>/<c>+</c> markers and two lines of context.</summary>
public static class LineDiff
{
    public static string Render(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
            for (int j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        var lines = new List<(char Mark, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y]) { lines.Add((' ', x + 1, a[x])); x++; y++; }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y])) { lines.Add(('+', y + 1, b[y])); y++; }
            else { lines.Add(('-', x + 1, a[x])); x++; }
        }
        var sb = new StringBuilder();
        int lastShown = -1;
        for (int k = 0; k < lines.Count; k++)
        {
            bool near = false;
            for (int d = -2; d <= 2 && !near; d++)
                near = k + d >= 0 && k + d < lines.Count && lines[k + d].Mark != ' ';
            if (!near) continue;
            if (lastShown >= 0 && k > lastShown + 1) sb.AppendLine("  ...");
            sb.AppendLine($"{lines[k].Mark} {lines[k].Line,4}: {lines[k].Text}");
            lastShown = k;
        }
        return sb.ToString();
    }
}

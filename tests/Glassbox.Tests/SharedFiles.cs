namespace Glassbox.Tests;

/// <summary>
/// Locates the read-only <c>shared</c> folder (fixtures and trained models) that sits beside the
/// repository, however deep the test binaries run: walks up from the test assembly's folder and
/// takes the first <c>&lt;ancestor&gt;/shared</c> or <c>&lt;ancestor&gt;/../shared</c> holding a
/// <c>reference</c> folder. <c>GLASSBOX_SHARED</c> overrides the search.
/// </summary>
public static class SharedFiles
{
    private static readonly Lazy<string> root = new(Locate);

    /// <summary>Full path of the shared folder; throws <see cref="DirectoryNotFoundException"/> if there is none.</summary>
    public static string Root => root.Value;

    /// <summary>A path under <c>shared/reference</c>, e.g. <c>Reference("gpt2-tiny/model.safetensors")</c>.</summary>
    public static string Reference(string relative) => Path.Combine(Root, "reference", relative);

    /// <summary>A path under <c>shared/models</c>, e.g. <c>Models("gpt2-mini/config.json")</c>.</summary>
    public static string Models(string relative) => Path.Combine(Root, "models", relative);

    private static string Locate()
    {
        string? overridden = Environment.GetEnvironmentVariable("GLASSBOX_SHARED");
        if (!string.IsNullOrEmpty(overridden))
        {
            return Directory.Exists(Path.Combine(overridden, "reference"))
                ? Path.GetFullPath(overridden)
                : throw new DirectoryNotFoundException($"GLASSBOX_SHARED is '{overridden}', which has no 'reference' folder.");
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(dir.FullName, "shared"), Path.Combine(dir.FullName, "..", "shared") })
            {
                if (Directory.Exists(Path.Combine(candidate, "reference")))
                    return Path.GetFullPath(candidate);
            }
        }
        throw new DirectoryNotFoundException(
            $"No 'shared/reference' folder found beside any ancestor of '{AppContext.BaseDirectory}'. " +
            "Put the shared fixtures beside the repository (as ../shared) or set GLASSBOX_SHARED.");
    }
}

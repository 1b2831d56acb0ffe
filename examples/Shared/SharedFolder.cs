namespace Glassbox.Examples;

/// <summary>Finds the read-only <c>shared/</c> folder (models and fixtures) beside the repository.</summary>
internal static class SharedFolder
{
    public static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", relative), Path.Combine(dir.FullName, "..", "shared", relative) })
                if (Directory.Exists(candidate) || File.Exists(candidate)) return Path.GetFullPath(candidate);
        throw new DirectoryNotFoundException($"Could not find shared/{relative} beside the repository (the examples use its models).");
    }
}

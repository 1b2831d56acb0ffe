using System.Collections.Concurrent;

namespace Glassbox.Visualization;

/// <summary>
/// The CSS and JavaScript inlined into pages, kept as real .css/.js files under Visualization/Assets
/// (embedded in the assembly) so they can be read and edited as what they are.
/// </summary>
internal static class Assets
{
    static readonly ConcurrentDictionary<string, string> Loaded = new(StringComparer.Ordinal);

    public static string Read(string name) => Loaded.GetOrAdd(name, static n =>
    {
        using var stream = typeof(Assets).Assembly.GetManifestResourceStream("Glassbox.Visualization." + n)
            ?? throw new InvalidOperationException($"The page asset '{n}' is not embedded in the Glassbox assembly.");
        using var reader = new StreamReader(stream);
        string text = reader.ReadToEnd();
        // Inlined verbatim into <style>/<script>: it must not be able to close its own element.
        if (text.Contains("</", StringComparison.Ordinal)) throw new InvalidOperationException($"The page asset '{n}' contains '</'.");
        return text;
    });
}

using System.Text;
using Glassbox.Export;

namespace Glassbox.Visualization;

/// <summary>Writes a page or an SVG as UTF-8 (no byte-order mark) so that readers see the old file or the whole new one.</summary>
internal static class AtomicText
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void Write(string path, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);
        using var writer = AtomicFileWriter.Create(path);
        writer.Stream.Write(Utf8.GetBytes(text));
        writer.Commit();
    }
}

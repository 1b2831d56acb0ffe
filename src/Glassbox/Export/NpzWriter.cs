using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Glassbox.Export;

/// <summary>
/// Writes numpy <c>.npz</c> archives (a zip of <c>.npy</c> files, as <c>numpy.savez</c> makes them):
/// <c>numpy.load(path)[name]</c> gives each array back. Atomic: readers see the old file or the complete new one.
/// </summary>
public static class NpzWriter
{
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays)
    {
        using var file = AtomicFileWriter.Create(path);
        using (var zip = new ZipArchive(file.Stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (name, array) in arrays)
            {
                if (!seen.Add(name)) throw new ArgumentException($"Writing '{path}': the name '{name}' appears twice.");
                var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
                using var stream = entry.Open();
                if (array.Floats is { } f) NpyWriter.WriteTo(stream, $"{path}:{name}", array.Shape, "<f4", MemoryMarshal.AsBytes(f.AsSpan()));
                else NpyWriter.WriteTo(stream, $"{path}:{name}", array.Shape, "<i8", MemoryMarshal.AsBytes(array.Integers!.AsSpan()));
            }
        }
        file.Commit();
    }
}

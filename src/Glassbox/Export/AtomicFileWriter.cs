namespace Glassbox.Export;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one: data goes to a
/// temporary file in the target's folder (same file system, so the final rename is atomic), is
/// flushed to disk, then renamed over the target. Disposing without <see cref="Commit"/> deletes the
/// temporary file and leaves the target untouched.
/// </summary>
internal sealed class AtomicFileWriter : IDisposable
{
    private readonly string _target;
    private readonly string _temporary;
    private bool _committed;

    private AtomicFileWriter(string target, string temporary, FileStream stream)
    {
        _target = target;
        _temporary = temporary;
        Stream = stream;
    }

    public FileStream Stream { get; }

    public static AtomicFileWriter Create(string path)
    {
        string target = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{target}' is not a file path.", nameof(path));
        // Hidden, unique, and recognisable if a crash ever leaves one behind.
        string temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        return new AtomicFileWriter(target, temporary, stream);
    }

    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(_temporary, _target, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        Stream.Dispose();
        try
        {
            File.Delete(_temporary);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

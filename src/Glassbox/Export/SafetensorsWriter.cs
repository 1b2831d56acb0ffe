using System.Buffers;
using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using Glassbox.Loading;

namespace Glassbox.Export;

/// <summary>
/// Writes safetensors files that the reference implementation (and <see cref="SafetensorsFile"/>)
/// reads: header entries in the given order, data contiguous in that order, header padded with
/// spaces to a multiple of 8 bytes so the data section starts 8-byte aligned.
/// </summary>
public static class SafetensorsWriter
{
    private const int Alignment = 8;

    // Relaxed escaping keeps names like "a+b" or non-ASCII readable in the header; it is still valid JSON.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Writes <paramref name="tensors"/> (enumerated once) and optional <c>__metadata__</c> to
    /// <paramref name="path"/> atomically: a temporary file in the same folder, flushed, then renamed
    /// over the target. On any error nothing is left behind and an existing target is untouched.
    /// </summary>
    public static void Write(string path, IEnumerable<SafetensorsWriteEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensors);
        LittleEndianHost.Require();

        List<SafetensorsWriteEntry> entries = tensors.ToList();
        Validate(path, entries, metadata);
        byte[] header = BuildHeader(entries, metadata);

        using AtomicFileWriter file = AtomicFileWriter.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        file.Stream.Write(length);
        file.Stream.Write(header);
        foreach (SafetensorsWriteEntry entry in entries)
            file.Stream.Write(entry.Data.Span);
        file.Commit();
    }

    private static void Validate(string path, List<SafetensorsWriteEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Count; i++)
        {
            SafetensorsWriteEntry entry = entries[i] ?? throw new ArgumentException($"Writing '{path}': tensor entry {i} is null.", nameof(entries));
            if (entry.Name is null)
                throw new ArgumentException($"Writing '{path}': tensor entry {i} has a null name.", nameof(entries));
            if (entry.Name == "__metadata__")
                throw new ArgumentException($"Writing '{path}': '__metadata__' is reserved by the format and cannot name a tensor.", nameof(entries));
            if (!names.Add(entry.Name))
                throw new ArgumentException($"Writing '{path}': tensor '{entry.Name}' appears twice.", nameof(entries));
            if (!Enum.IsDefined(entry.DType))
                throw new ArgumentException($"Writing '{path}': tensor '{entry.Name}' has an invalid dtype {(int)entry.DType}.", nameof(entries));
            if (entry.Shape is null)
                throw new ArgumentException($"Writing '{path}': tensor '{entry.Name}' has a null shape.", nameof(entries));
            if (entry.Shape.Any(d => d < 0))
                throw new ArgumentException($"Writing '{path}': tensor '{entry.Name}' has a negative dimension in shape [{string.Join(", ", entry.Shape)}].", nameof(entries));

            long expected;
            try
            {
                expected = checked(SafetensorsTensorInfo.CountElements(entry.Shape) * entry.DType.ByteSize());
            }
            catch (OverflowException)
            {
                throw new ArgumentException($"Writing '{path}': tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}], too large to address.", nameof(entries));
            }
            if (entry.Data.Length != expected)
                throw new ArgumentException($"Writing '{path}': tensor '{entry.Name}' has {entry.Data.Length} bytes of data, but shape [{string.Join(", ", entry.Shape)}] of {entry.DType} needs {expected}.", nameof(entries));
        }

        if (metadata is null) return;
        foreach ((string key, string value) in metadata)
        {
            if (key is null || value is null)
                throw new ArgumentException($"Writing '{path}': metadata keys and values must not be null (key '{key}').", nameof(metadata));
        }
    }

    private static byte[] BuildHeader(List<SafetensorsWriteEntry> entries, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            if (metadata is not null)
            {
                json.WriteStartObject("__metadata__");
                foreach ((string key, string value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (SafetensorsWriteEntry entry in entries)
            {
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", entry.DType.FormatName());
                json.WriteStartArray("shape");
                foreach (long d in entry.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + entry.Data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += entry.Data.Length;
            }
            json.WriteEndObject();
        }

        int padded = (buffer.WrittenCount + Alignment - 1) / Alignment * Alignment;
        byte[] header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }
}

using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Glassbox.Loading;

namespace Glassbox.Export;

/// <summary>
/// Writes numpy <c>.npy</c> files (format version 1.0, little-endian, C order) that
/// <c>numpy.load</c> reads. Atomic like <see cref="SafetensorsWriter"/>.
/// </summary>
public static class NpyWriter
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];

    // numpy pads the preamble + header to a multiple of 64 bytes so the data can be memory-mapped aligned.
    private const int Alignment = 64;

    /// <summary>Writes float32 values (<c>'&lt;f4'</c>).</summary>
    public static void Write(string path, long[] shape, ReadOnlySpan<float> values) =>
        Write(path, shape, "<f4", MemoryMarshal.AsBytes(values), values.Length);

    /// <summary>Writes int64 values (<c>'&lt;i8'</c>).</summary>
    public static void Write(string path, long[] shape, ReadOnlySpan<long> values) =>
        Write(path, shape, "<i8", MemoryMarshal.AsBytes(values), values.Length);

    private static void Write(string path, long[] shape, string descr, ReadOnlySpan<byte> data, long count)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(shape);
        LittleEndianHost.Require();
        long expected;
        try
        {
            expected = SafetensorsTensorInfo.CountElements(shape);
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            throw new ArgumentException($"Writing '{path}': shape [{string.Join(", ", shape)}] is not a valid shape (negative or too large).", nameof(shape), e);
        }
        if (expected != count)
            throw new ArgumentException($"Writing '{path}': shape [{string.Join(", ", shape)}] has {expected} elements but {count} values were given.", nameof(shape));

        using AtomicFileWriter file = AtomicFileWriter.Create(path);
        WriteTo(file.Stream, path, shape, descr, data);
        file.Commit();
    }

    /// <summary>Writes one .npy image (preamble, header, data) to <paramref name="stream"/>; also used inside .npz archives.</summary>
    internal static void WriteTo(Stream stream, string what, long[] shape, string descr, ReadOnlySpan<byte> data)
    {
        byte[] header = BuildHeader(what, shape, descr);
        stream.Write(Magic);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(header);
        stream.Write(data);
    }

    /// <summary>The Python dict literal numpy writes, space-padded, ending in a newline.</summary>
    private static byte[] BuildHeader(string path, long[] shape, string descr)
    {
        // A 1-tuple needs its trailing comma in Python: (5,).
        string tuple = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {tuple}, }}";
        int preamble = Magic.Length + 2;
        int total = (preamble + dict.Length + 1 + Alignment - 1) / Alignment * Alignment;
        int headerLength = total - preamble;
        if (headerLength > ushort.MaxValue)
            throw new ArgumentException($"Writing '{path}': a shape of {shape.Length} dimensions does not fit a version 1.0 .npy header.", nameof(shape));
        return Encoding.ASCII.GetBytes(dict.PadRight(headerLength - 1) + "\n");
    }
}

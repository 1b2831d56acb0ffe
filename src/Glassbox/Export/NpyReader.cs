using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Glassbox.Export;

/// <summary>
/// Reads .npy files and .npz archives: little-endian float32/float64 (as float32) and
/// int64/int32 (as int64), C order. Anything else is refused with a message naming the file.
/// </summary>
public static partial class NpyReader
{
    public static NpyArray Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Every array of an .npz archive, by name (the entry name without ".npy").</summary>
    public static IReadOnlyDictionary<string, NpyArray> ReadArchive(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
            using var stream = entry.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            buffer.Position = 0;
            result[entry.FullName[..^4]] = Read(buffer, $"{path}:{entry.FullName}");
        }
        return result;
    }

    [GeneratedRegex(@"'descr':\s*'([<>|]?)([a-z])(\d+)'.*'fortran_order':\s*(True|False).*'shape':\s*\(([^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex Header();

    static NpyArray Read(Stream stream, string what)
    {
        var preamble = new byte[10];
        if (stream.ReadAtLeast(preamble, 10, throwOnEndOfStream: false) < 10 || preamble[0] != 0x93 || Encoding.ASCII.GetString(preamble, 1, 5) != "NUMPY")
            throw new InvalidDataException($"{what} is not a .npy file.");
        int headerLength;
        if (preamble[6] == 1) headerLength = BinaryPrimitives.ReadUInt16LittleEndian(preamble.AsSpan(8));
        else
        {
            var more = new byte[2];
            stream.ReadExactly(more);
            headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian([preamble[8], preamble[9], more[0], more[1]]);
        }
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var match = Header().Match(Encoding.ASCII.GetString(headerBytes));
        if (!match.Success) throw new InvalidDataException($"{what}: cannot read the .npy header.");
        if (match.Groups[1].Value == ">") throw new InvalidDataException($"{what}: big-endian arrays are not supported.");
        if (match.Groups[4].Value == "True") throw new InvalidDataException($"{what}: Fortran-order arrays are not supported.");
        var shape = match.Groups[5].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(long.Parse).ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        string kind = match.Groups[2].Value + match.Groups[3].Value;
        int size = int.Parse(match.Groups[3].Value);
        var data = new byte[checked(count * size)];
        if (stream.ReadAtLeast(data, data.Length, throwOnEndOfStream: false) < data.Length)
            throw new InvalidDataException($"{what}: the data ends before {count} elements of {kind}.");
        return kind switch
        {
            "f4" => NpyArray.Of(shape, MemoryMarshal.Cast<byte, float>(data).ToArray()),
            "f8" => NpyArray.Of(shape, MemoryMarshal.Cast<byte, double>(data).ToArray().Select(v => (float)v).ToArray()),
            "i8" => NpyArray.Of(shape, MemoryMarshal.Cast<byte, long>(data).ToArray()),
            "i4" => NpyArray.Of(shape, MemoryMarshal.Cast<byte, int>(data).ToArray().Select(v => (long)v).ToArray()),
            _ => throw new InvalidDataException($"{what}: dtype {kind} is not supported (float32, float64, int32, int64)."),
        };
    }
}

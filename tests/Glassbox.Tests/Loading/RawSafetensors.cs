using System.Buffers.Binary;
using System.Text;

namespace Glassbox.Tests.Loading;

/// <summary>Builds safetensors files byte by byte, to feed the reader inputs no writer would produce.</summary>
internal static class RawSafetensors
{
    /// <summary>A header entry as JSON text.</summary>
    public static string Entry(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    /// <summary>Writes length field + header + data; the length field defaults to the header's byte count.</summary>
    public static string Write(TempFolder folder, string header, int dataLength = 0, ulong? headerLength = null, string name = "bad.safetensors") =>
        Write(folder, Encoding.UTF8.GetBytes(header), new byte[dataLength], headerLength, name);

    public static string Write(TempFolder folder, byte[] header, byte[] data, ulong? headerLength = null, string name = "bad.safetensors")
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        string path = folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}

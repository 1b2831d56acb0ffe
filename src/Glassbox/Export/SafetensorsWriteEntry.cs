using Glassbox.Loading;

namespace Glassbox.Export;

/// <summary>
/// One tensor to write: its name, dtype, shape and raw little-endian data (exactly
/// product(shape) × dtype size bytes; <see cref="SafetensorsWriter"/> checks).
/// </summary>
public sealed record SafetensorsWriteEntry(string Name, SafetensorsDType DType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>A float32 tensor; the values are viewed as bytes, not copied.</summary>
    public static SafetensorsWriteEntry Float32(string name, long[] shape, ReadOnlyMemory<float> values) =>
        new(name, SafetensorsDType.F32, shape, new ByteViewMemoryManager<float>(values).Memory);

    /// <summary>An int64 tensor; the values are viewed as bytes, not copied.</summary>
    public static SafetensorsWriteEntry Int64(string name, long[] shape, ReadOnlyMemory<long> values) =>
        new(name, SafetensorsDType.I64, shape, new ByteViewMemoryManager<long>(values).Memory);

    public override string ToString() => $"{Name} {DType} [{string.Join(", ", Shape ?? [])}] ({Data.Length} bytes)";
}

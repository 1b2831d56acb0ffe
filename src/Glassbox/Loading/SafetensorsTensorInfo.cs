namespace Glassbox.Loading;

/// <summary>
/// One header entry of a safetensors file. <see cref="DataStart"/> and <see cref="DataEnd"/> are the
/// header's <c>data_offsets</c>: byte offsets relative to the start of the data section (which
/// begins right after the 8-byte length field and the header), end exclusive.
/// </summary>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, long[] Shape, long DataStart, long DataEnd)
{
    /// <summary>Product of <see cref="Shape"/>; 1 for a scalar (empty shape).</summary>
    public long ElementCount { get; } = CountElements(Shape);

    /// <summary>Size of the tensor's data in bytes.</summary>
    public long ByteLength => DataEnd - DataStart;

    // Arrays compare by reference in a generated record Equals; two infos describing the same
    // tensor should be equal, so compare the shape by value.
    public bool Equals(SafetensorsTensorInfo? other) =>
        other is not null
        && Name == other.Name
        && DType == other.DType
        && Shape.AsSpan().SequenceEqual(other.Shape)
        && DataStart == other.DataStart
        && DataEnd == other.DataEnd;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.Add(DType);
        foreach (long d in Shape) hash.Add(d);
        hash.Add(DataStart);
        hash.Add(DataEnd);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        $"{Name} {DType} [{string.Join(", ", Shape)}] bytes [{DataStart}, {DataEnd})";

    /// <summary>Product of the dimensions; throws <see cref="OverflowException"/> past 64 bits.</summary>
    internal static long CountElements(long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (long d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count = checked(count * d);
        }
        return count;
    }
}

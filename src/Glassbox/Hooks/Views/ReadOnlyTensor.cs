using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A read-only view of any hook point's tensor: an observer's parameter for points of every kind.
/// (A plain <see cref="Tensor"/> parameter is the writable counterpart.) Valid only during the hook
/// call; clone what you keep.
/// </summary>
public readonly struct ReadOnlyTensor
{
    readonly Tensor _tensor;

    public ReadOnlyTensor(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        _tensor = tensor;
    }

    internal Tensor Inner => _tensor;

    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Rank => _tensor.Rank;
    public int Length => _tensor.Length;

    /// <summary>Size of <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _tensor.Dim(axis);

    public ReadOnlySpan<float> Span => _tensor.Span;

    /// <summary>A read-only view of entry <paramref name="index"/> of the leading axis.</summary>
    public ReadOnlyTensor this[int index] => new(_tensor[index]);

    public float this[int i, int j] => _tensor[i, j];
    public float this[int i, int j, int k] => _tensor[i, j, k];
    public float this[int i, int j, int k, int l] => _tensor[i, j, k, l];

    /// <summary>One index of one axis, read-only.</summary>
    public ReadOnlyTensorSlice Slice(int axis, int index) => new(_tensor, axis, index);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public override string ToString() => _tensor is null ? "ReadOnlyTensor(default)" : "ReadOnlyTensor" + Tensor.Format(_tensor.Shape);
}

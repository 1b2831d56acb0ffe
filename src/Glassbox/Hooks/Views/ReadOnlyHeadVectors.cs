// Typed hook views: one mutable and one read-only struct per hook kind (DESIGN §3).
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A read-only view of per-head vectors <c>[batch, pos, head, d_head]</c> (attn.hook_q/k/v/z, hook_rot_q/k). An observer's parameter: it has no way to write.
/// Shape [batch, pos, head, d_head]; valid only during the hook call (clone what you keep).
/// </summary>
public readonly struct ReadOnlyHeadVectors
{
    readonly Tensor _tensor;

    /// <summary>Views <paramref name="tensor"/>, which must have rank 4 ([batch, pos, head, d_head]).</summary>
    public ReadOnlyHeadVectors(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 4)
            throw new ArgumentException($"A ReadOnlyHeadVectors needs a tensor of shape [batch, pos, head, d_head]; got {Tensor.Format(tensor.Shape)}.", nameof(tensor));
        _tensor = tensor;
    }

    public int Batch => _tensor.Dim(0);
    public int Positions => _tensor.Dim(1);
    public int Heads => _tensor.Dim(2);
    public int DHead => _tensor.Dim(3);
    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Length => _tensor.Length;

    /// <summary>Every value, row-major ([batch, pos, head, d_head]).</summary>
    public ReadOnlySpan<float> Span => _tensor.Span;

    public float this[int i, int j, int k, int l] => _tensor[i, j, k, l];

    /// <summary>Every value at position <paramref name="position"/>.</summary>
    public ReadOnlyTensorSlice Position(int position) => new(_tensor, 1, position);

    /// <summary>Every value of head <paramref name="head"/>.</summary>
    public ReadOnlyTensorSlice Head(int head) => new(_tensor, 2, head);

    /// <summary>The d_head vector of one head at one batch entry and position.</summary>
    public ReadOnlySpan<float> Vector(int batch, int position, int head) => SliceLayout.Last(_tensor, batch, position, head);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public static implicit operator ReadOnlyTensor(ReadOnlyHeadVectors view) => new(view._tensor);

    /// <summary>The same values as an untyped read-only tensor view.</summary>
    public ReadOnlyTensor AsReadOnlyTensor() => new(_tensor);

    public override string ToString() => _tensor is null ? "ReadOnlyHeadVectors(default)" : "ReadOnlyHeadVectors" + Tensor.Format(_tensor.Shape);
}

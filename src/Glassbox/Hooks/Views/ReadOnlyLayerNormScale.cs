// Typed hook views: one mutable and one read-only struct per hook kind (DESIGN §3).
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A read-only view of a norm's scale <c>[batch, pos, 1]</c> (ln1/ln2/ln_final.hook_scale). An observer's parameter: it has no way to write.
/// Shape [batch, pos, 1]; valid only during the hook call (clone what you keep).
/// </summary>
public readonly struct ReadOnlyLayerNormScale
{
    readonly Tensor _tensor;

    /// <summary>Views <paramref name="tensor"/>, which must have rank 3 ([batch, pos, 1]).</summary>
    public ReadOnlyLayerNormScale(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 3)
            throw new ArgumentException($"A ReadOnlyLayerNormScale needs a tensor of shape [batch, pos, 1]; got {Tensor.Format(tensor.Shape)}.", nameof(tensor));
        _tensor = tensor;
    }

    public int Batch => _tensor.Dim(0);
    public int Positions => _tensor.Dim(1);
    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Length => _tensor.Length;

    /// <summary>Every value, row-major ([batch, pos, 1]).</summary>
    public ReadOnlySpan<float> Span => _tensor.Span;

    public float this[int i, int j, int k] => _tensor[i, j, k];

    /// <summary>The scale at one batch entry and position.</summary>
    public float this[int batch, int position] => _tensor[batch, position, 0];

    /// <summary>The scale at position <paramref name="position"/> of every batch entry.</summary>
    public ReadOnlyTensorSlice Position(int position) => new(_tensor, 1, position);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public static implicit operator ReadOnlyTensor(ReadOnlyLayerNormScale view) => new(view._tensor);

    /// <summary>The same values as an untyped read-only tensor view.</summary>
    public ReadOnlyTensor AsReadOnlyTensor() => new(_tensor);

    public override string ToString() => _tensor is null ? "ReadOnlyLayerNormScale(default)" : "ReadOnlyLayerNormScale" + Tensor.Format(_tensor.Shape);
}

// Typed hook views: one mutable and one read-only struct per hook kind (DESIGN §3).
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A writable view of a norm's scale <c>[batch, pos, 1]</c> (ln1/ln2/ln_final.hook_scale). An editor's parameter: write in place, or return a replacement
/// (<c>new LayerNormScale(tensor)</c>) whose values are copied in.
/// Shape [batch, pos, 1]; valid only during the hook call (clone what you keep).
/// </summary>
public readonly struct LayerNormScale
{
    readonly Tensor _tensor;

    /// <summary>Views <paramref name="tensor"/>, which must have rank 3 ([batch, pos, 1]).</summary>
    public LayerNormScale(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 3)
            throw new ArgumentException($"A LayerNormScale needs a tensor of shape [batch, pos, 1]; got {Tensor.Format(tensor.Shape)}.", nameof(tensor));
        _tensor = tensor;
    }

    /// <summary>The viewed tensor (null for <c>default</c>, which a handler may return to mean "no replacement").</summary>
    public Tensor Tensor => _tensor;

    public int Batch => _tensor.Dim(0);
    public int Positions => _tensor.Dim(1);
    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Length => _tensor.Length;

    /// <summary>Every value, row-major ([batch, pos, 1]).</summary>
    public Span<float> Span => _tensor.Span;

    public float this[int i, int j, int k]
    {
        get => _tensor[i, j, k];
        set => _tensor[i, j, k] = value;
    }

    /// <summary>The scale at one batch entry and position.</summary>
    public float this[int batch, int position]
    {
        get => _tensor[batch, position, 0];
        set => _tensor[batch, position, 0] = value;
    }

    /// <summary>The scale at position <paramref name="position"/> of every batch entry.</summary>
    public TensorSlice Position(int position) => new(_tensor, 1, position);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public void Clear() => _tensor.Clear();

    public void Fill(float value) => _tensor.Fill(value);

    /// <summary>Copies values of the same shape in.</summary>
    public void CopyFrom(ReadOnlyLayerNormScale source) => _tensor.CopyFrom(source.AsReadOnlyTensor().Inner);

    public static implicit operator ReadOnlyLayerNormScale(LayerNormScale view) => new(view._tensor);

    public static implicit operator ReadOnlyTensor(LayerNormScale view) => new(view._tensor);

    /// <summary>The same values as an untyped read-only tensor view.</summary>
    public ReadOnlyTensor AsReadOnlyTensor() => new(_tensor);

    public override string ToString() => _tensor is null ? "LayerNormScale(default)" : "LayerNormScale" + Tensor.Format(_tensor.Shape);
}

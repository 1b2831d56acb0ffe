// Typed hook views: one mutable and one read-only struct per hook kind (DESIGN §3).
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A writable view of logits <c>[batch, pos, d_vocab]</c> (unembed.hook_out). An editor's parameter: write in place, or return a replacement
/// (<c>new Logits(tensor)</c>) whose values are copied in.
/// Shape [batch, pos, d_vocab]; valid only during the hook call (clone what you keep).
/// </summary>
public readonly struct Logits
{
    readonly Tensor _tensor;

    /// <summary>Views <paramref name="tensor"/>, which must have rank 3 ([batch, pos, d_vocab]).</summary>
    public Logits(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 3)
            throw new ArgumentException($"A Logits needs a tensor of shape [batch, pos, d_vocab]; got {Tensor.Format(tensor.Shape)}.", nameof(tensor));
        _tensor = tensor;
    }

    /// <summary>The viewed tensor (null for <c>default</c>, which a handler may return to mean "no replacement").</summary>
    public Tensor Tensor => _tensor;

    public int Batch => _tensor.Dim(0);
    public int Positions => _tensor.Dim(1);
    public int DVocab => _tensor.Dim(2);
    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Length => _tensor.Length;

    /// <summary>Every value, row-major ([batch, pos, d_vocab]).</summary>
    public Span<float> Span => _tensor.Span;

    public float this[int i, int j, int k]
    {
        get => _tensor[i, j, k];
        set => _tensor[i, j, k] = value;
    }

    /// <summary>Every logit at position <paramref name="position"/>.</summary>
    public TensorSlice Position(int position) => new(_tensor, 1, position);

    /// <summary>The logit of token <paramref name="token"/> at every batch entry and position.</summary>
    public TensorSlice Token(int token) => new(_tensor, 2, token);

    /// <summary>The logits at one batch entry and position.</summary>
    public Span<float> Vector(int batch, int position) => SliceLayout.Last(_tensor, batch, position);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public void Clear() => _tensor.Clear();

    public void Fill(float value) => _tensor.Fill(value);

    /// <summary>Copies values of the same shape in.</summary>
    public void CopyFrom(ReadOnlyLogits source) => _tensor.CopyFrom(source.AsReadOnlyTensor().Inner);

    public static implicit operator ReadOnlyLogits(Logits view) => new(view._tensor);

    public static implicit operator ReadOnlyTensor(Logits view) => new(view._tensor);

    /// <summary>The same values as an untyped read-only tensor view.</summary>
    public ReadOnlyTensor AsReadOnlyTensor() => new(_tensor);

    public override string ToString() => _tensor is null ? "Logits(default)" : "Logits" + Tensor.Format(_tensor.Shape);
}

// Typed hook views: one mutable and one read-only struct per hook kind (DESIGN §3).
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A writable view of per-head residual-sized vectors <c>[batch, pos, head, d_model]</c> (attn.hook_result, hook_q/k/v_input, hook_attn_in). An editor's parameter: write in place, or return a replacement
/// (<c>new HeadResiduals(tensor)</c>) whose values are copied in.
/// Shape [batch, pos, head, d_model]; valid only during the hook call (clone what you keep).
/// </summary>
public readonly struct HeadResiduals
{
    readonly Tensor _tensor;

    /// <summary>Views <paramref name="tensor"/>, which must have rank 4 ([batch, pos, head, d_model]).</summary>
    public HeadResiduals(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 4)
            throw new ArgumentException($"A HeadResiduals needs a tensor of shape [batch, pos, head, d_model]; got {Tensor.Format(tensor.Shape)}.", nameof(tensor));
        _tensor = tensor;
    }

    /// <summary>The viewed tensor (null for <c>default</c>, which a handler may return to mean "no replacement").</summary>
    public Tensor Tensor => _tensor;

    public int Batch => _tensor.Dim(0);
    public int Positions => _tensor.Dim(1);
    public int Heads => _tensor.Dim(2);
    public int DModel => _tensor.Dim(3);
    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Length => _tensor.Length;

    /// <summary>Every value, row-major ([batch, pos, head, d_model]).</summary>
    public Span<float> Span => _tensor.Span;

    public float this[int i, int j, int k, int l]
    {
        get => _tensor[i, j, k, l];
        set => _tensor[i, j, k, l] = value;
    }

    /// <summary>Every value at position <paramref name="position"/>.</summary>
    public TensorSlice Position(int position) => new(_tensor, 1, position);

    /// <summary>Every value of head <paramref name="head"/>.</summary>
    public TensorSlice Head(int head) => new(_tensor, 2, head);

    /// <summary>The d_model vector of one head at one batch entry and position.</summary>
    public Span<float> Vector(int batch, int position, int head) => SliceLayout.Last(_tensor, batch, position, head);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public void Clear() => _tensor.Clear();

    public void Fill(float value) => _tensor.Fill(value);

    /// <summary>Copies values of the same shape in.</summary>
    public void CopyFrom(ReadOnlyHeadResiduals source) => _tensor.CopyFrom(source.AsReadOnlyTensor().Inner);

    public static implicit operator ReadOnlyHeadResiduals(HeadResiduals view) => new(view._tensor);

    public static implicit operator ReadOnlyTensor(HeadResiduals view) => new(view._tensor);

    /// <summary>The same values as an untyped read-only tensor view.</summary>
    public ReadOnlyTensor AsReadOnlyTensor() => new(_tensor);

    public override string ToString() => _tensor is null ? "HeadResiduals(default)" : "HeadResiduals" + Tensor.Format(_tensor.Shape);
}

// Typed hook views: one mutable and one read-only struct per hook kind (DESIGN §3).
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A writable view of attention probabilities <c>[batch, head, query_pos, key_pos]</c> (attn.hook_pattern; rows sum to 1). An editor's parameter: write in place, or return a replacement
/// (<c>new AttentionPattern(tensor)</c>) whose values are copied in.
/// Shape [batch, head, query_pos, key_pos]; valid only during the hook call (clone what you keep).
/// </summary>
public readonly struct AttentionPattern
{
    readonly Tensor _tensor;

    /// <summary>Views <paramref name="tensor"/>, which must have rank 4 ([batch, head, query_pos, key_pos]).</summary>
    public AttentionPattern(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 4)
            throw new ArgumentException($"A AttentionPattern needs a tensor of shape [batch, head, query_pos, key_pos]; got {Tensor.Format(tensor.Shape)}.", nameof(tensor));
        _tensor = tensor;
    }

    /// <summary>The viewed tensor (null for <c>default</c>, which a handler may return to mean "no replacement").</summary>
    public Tensor Tensor => _tensor;

    public int Batch => _tensor.Dim(0);
    public int Heads => _tensor.Dim(1);
    public int QueryLength => _tensor.Dim(2);
    public int KeyLength => _tensor.Dim(3);
    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Length => _tensor.Length;

    /// <summary>Every value, row-major ([batch, head, query_pos, key_pos]).</summary>
    public Span<float> Span => _tensor.Span;

    public float this[int i, int j, int k, int l]
    {
        get => _tensor[i, j, k, l];
        set => _tensor[i, j, k, l] = value;
    }

    /// <summary>Every probability of head <paramref name="head"/>.</summary>
    public TensorSlice Head(int head) => new(_tensor, 1, head);

    /// <summary>Every probability of query position <paramref name="query"/>.</summary>
    public TensorSlice Query(int query) => new(_tensor, 2, query);

    /// <summary>The probabilities of query position <paramref name="position"/> (the position axis of attention tensors is the query axis).</summary>
    public TensorSlice Position(int position) => new(_tensor, 2, position);

    /// <summary>The probabilities of one query over every key.</summary>
    public Span<float> Row(int batch, int head, int query) => SliceLayout.Last(_tensor, batch, head, query);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public void Clear() => _tensor.Clear();

    public void Fill(float value) => _tensor.Fill(value);

    /// <summary>Copies values of the same shape in.</summary>
    public void CopyFrom(ReadOnlyAttentionPattern source) => _tensor.CopyFrom(source.AsReadOnlyTensor().Inner);

    public static implicit operator ReadOnlyAttentionPattern(AttentionPattern view) => new(view._tensor);

    public static implicit operator ReadOnlyTensor(AttentionPattern view) => new(view._tensor);

    /// <summary>The same values as an untyped read-only tensor view.</summary>
    public ReadOnlyTensor AsReadOnlyTensor() => new(_tensor);

    public override string ToString() => _tensor is null ? "AttentionPattern(default)" : "AttentionPattern" + Tensor.Format(_tensor.Shape);
}

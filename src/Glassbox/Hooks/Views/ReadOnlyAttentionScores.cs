// Typed hook views: one mutable and one read-only struct per hook kind (DESIGN §3).
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A read-only view of attention scores <c>[batch, head, query_pos, key_pos]</c> (attn.hook_attn_scores; masked entries are -inf). An observer's parameter: it has no way to write.
/// Shape [batch, head, query_pos, key_pos]; valid only during the hook call (clone what you keep).
/// </summary>
public readonly struct ReadOnlyAttentionScores
{
    readonly Tensor _tensor;

    /// <summary>Views <paramref name="tensor"/>, which must have rank 4 ([batch, head, query_pos, key_pos]).</summary>
    public ReadOnlyAttentionScores(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 4)
            throw new ArgumentException($"A ReadOnlyAttentionScores needs a tensor of shape [batch, head, query_pos, key_pos]; got {Tensor.Format(tensor.Shape)}.", nameof(tensor));
        _tensor = tensor;
    }

    public int Batch => _tensor.Dim(0);
    public int Heads => _tensor.Dim(1);
    public int QueryLength => _tensor.Dim(2);
    public int KeyLength => _tensor.Dim(3);
    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Length => _tensor.Length;

    /// <summary>Every value, row-major ([batch, head, query_pos, key_pos]).</summary>
    public ReadOnlySpan<float> Span => _tensor.Span;

    public float this[int i, int j, int k, int l] => _tensor[i, j, k, l];

    /// <summary>Every score of head <paramref name="head"/>.</summary>
    public ReadOnlyTensorSlice Head(int head) => new(_tensor, 1, head);

    /// <summary>Every score of query position <paramref name="query"/>.</summary>
    public ReadOnlyTensorSlice Query(int query) => new(_tensor, 2, query);

    /// <summary>The scores of query position <paramref name="position"/> (the position axis of attention tensors is the query axis).</summary>
    public ReadOnlyTensorSlice Position(int position) => new(_tensor, 2, position);

    /// <summary>The scores of one query over every key.</summary>
    public ReadOnlySpan<float> Row(int batch, int head, int query) => SliceLayout.Last(_tensor, batch, head, query);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public static implicit operator ReadOnlyTensor(ReadOnlyAttentionScores view) => new(view._tensor);

    /// <summary>The same values as an untyped read-only tensor view.</summary>
    public ReadOnlyTensor AsReadOnlyTensor() => new(_tensor);

    public override string ToString() => _tensor is null ? "ReadOnlyAttentionScores(default)" : "ReadOnlyAttentionScores" + Tensor.Format(_tensor.Shape);
}

using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>
/// Keys (after rotary) and values of every layer for the tokens seen so far, so generation feeds one
/// new token per step instead of the whole sequence. Also keeps the attention mask of those tokens,
/// so padding and positions carry over. One cache per sequence batch; not thread-safe.
/// </summary>
public sealed class KeyValueCache
{
    readonly ModelConfig _cfg;
    Tensor[] _keys;
    Tensor[] _values;
    int[] _mask;

    public KeyValueCache(ModelConfig config, int batch, int capacity = 64)
    {
        _cfg = config;
        Batch = batch;
        Capacity = Math.Max(capacity, 1);
        _keys = Allocate();
        _values = Allocate();
        _mask = new int[batch * Capacity];
    }

    public int Batch { get; }

    /// <summary>Tokens cached per sequence so far.</summary>
    public int Length { get; private set; }

    public int Capacity { get; private set; }

    /// <summary>The mask of the cached tokens, [batch, Length] (1 = real token).</summary>
    public IntTensor Mask
    {
        get
        {
            var m = new int[Batch * Length];
            for (int b = 0; b < Batch; b++) _mask.AsSpan(b * Capacity, Length).CopyTo(m.AsSpan(b * Length));
            return new IntTensor(m, Batch, Length);
        }
    }

    /// <summary>Cached keys of <paramref name="layer"/>: [batch, Capacity, kv_heads, d_head], valid up to the pass's key length.</summary>
    internal Tensor Keys(int layer) => _keys[layer];
    internal Tensor Values(int layer) => _values[layer];
    internal int MaskAt(int b, int p) => _mask[b * Capacity + p];

    /// <summary>Makes room for <paramref name="newTokens"/> more tokens, copying into larger buffers if needed.</summary>
    internal void Reserve(int newTokens)
    {
        int needed = Length + newTokens;
        if (needed <= Capacity) return;
        int capacity = Math.Max(needed, 2 * Capacity);
        _keys = Grow(_keys, capacity);
        _values = Grow(_values, capacity);
        var mask = new int[Batch * capacity];
        for (int b = 0; b < Batch; b++) _mask.AsSpan(b * Capacity, Length).CopyTo(mask.AsSpan(b * capacity));
        _mask = mask;
        Capacity = capacity;
    }

    /// <summary>Writes a layer's new keys and values [batch, t, kv_heads, d_head] after the cached ones.</summary>
    internal void Write(int layer, Tensor keys, Tensor values)
    {
        int t = keys.Dim(1), row = _cfg.NKeyValueHeads * _cfg.DHead;
        for (int b = 0; b < Batch; b++)
        {
            keys.Span.Slice(b * t * row, t * row).CopyTo(_keys[layer].Span.Slice((b * Capacity + Length) * row));
            values.Span.Slice(b * t * row, t * row).CopyTo(_values[layer].Span.Slice((b * Capacity + Length) * row));
        }
    }

    /// <summary>Marks a pass's <paramref name="newTokens"/> as cached, with their mask (null = all real).</summary>
    internal void Commit(int newTokens, IntTensor? mask)
    {
        for (int b = 0; b < Batch; b++)
            for (int p = 0; p < newTokens; p++) _mask[b * Capacity + Length + p] = mask?[b, p] ?? 1;
        Length += newTokens;
    }

    Tensor[] Allocate() => Enumerable.Range(0, _cfg.NLayers)
        .Select(_ => Tensor.Zeros(Batch, Capacity, _cfg.NKeyValueHeads, _cfg.DHead)).ToArray();

    Tensor[] Grow(Tensor[] old, int capacity)
    {
        int row = _cfg.NKeyValueHeads * _cfg.DHead;
        return old.Select(t =>
        {
            var grown = Tensor.Zeros(Batch, capacity, _cfg.NKeyValueHeads, _cfg.DHead);
            for (int b = 0; b < Batch; b++) t.Span.Slice(b * Capacity * row, Length * row).CopyTo(grown.Span.Slice(b * capacity * row));
            return grown;
        }).ToArray();
    }
}

using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>
/// One forward pass: its hooks (a snapshot), its buffers, its tokens and positions. Each run has
/// its own, so concurrent runs on one model never share state. The parts of the block live in the
/// other <c>ForwardPass.*.cs</c> files.
/// </summary>
internal sealed partial class ForwardPass : IDisposable
{
    readonly HookedTransformer _model;
    readonly ModelConfig _cfg;
    readonly TransformerWeights _w;
    readonly PackedWeights _packed;
    readonly HookPointTable _table;
    readonly HookFunction[]?[] _hooks;
    readonly TensorArena _arena;
    readonly IntTensor? _tokens;
    readonly IntTensor? _mask;
    readonly int _batch;
    readonly int _seq;
    readonly int[] _positions;
    readonly KeyValueCache? _cache;
    /// <summary>Tokens before this pass (in the KV cache).</summary>
    readonly int _past;
    readonly int _step;
    Tensor? _shortformerPositions;

    public ForwardPass(HookedTransformer model, IntTensor? tokens, IntTensor? mask, int batch, int seq, HookFunction[]?[] hooks,
        KeyValueCache? cache = null, int step = -1)
    {
        _model = model;
        _cfg = model.Config;
        _w = model.Weights;
        _packed = model.Packed;
        _table = model.HookPoints;
        _hooks = hooks;
        _arena = new TensorArena(model.Pool);
        _tokens = tokens;
        _mask = mask;
        _batch = batch;
        _seq = seq;
        _cache = cache;
        _past = cache?.Length ?? 0;
        _step = step;
        _cache?.Reserve(seq);
        _positions = Positions();
    }

    int Rows => _batch * _seq;

    /// <summary>Keys each query sees: the cached tokens and this pass's.</summary>
    int KeyLength => _past + _seq;

    /// <summary>
    /// Position ids [batch·pos] of this pass's tokens: their index in the sequence, or with padding
    /// the index among the real tokens so far (cumsum(mask) − 1, at least 0), so left padding does
    /// not shift positions. Cached tokens count.
    /// </summary>
    int[] Positions()
    {
        var positions = new int[_batch * _seq];
        for (int b = 0; b < _batch; b++)
        {
            int seen = 0;
            for (int p = 0; p < _past; p++) seen += _cache!.MaskAt(b, p);
            for (int p = 0; p < _seq; p++)
            {
                seen += IsPadding(b, _past + p) ? 0 : 1;
                positions[b * _seq + p] = Math.Max(seen - 1, 0);
            }
        }
        return positions;
    }

    /// <summary>Whether key position <paramref name="p"/> (counting cached tokens) is padding.</summary>
    bool IsPadding(int b, int p) => p < _past ? _cache!.MaskAt(b, p) == 0 : _mask is not null && _mask[b, p - _past] == 0;

    bool Listens(int layer, int catalogIndex) => _hooks[_table.SlotOf(layer, catalogIndex)] is not null;

    /// <summary>Runs the hooks of a point on <paramref name="activation"/>; a returned replacement is copied in.</summary>
    Tensor Fire(int layer, int catalogIndex, Tensor activation) => FireSlot(_table.SlotOf(layer, catalogIndex), activation);

    Tensor FireSlot(int slot, Tensor activation)
    {
        // Points spliced on after this pass took its snapshot have no hooks in it.
        var functions = slot < _hooks.Length ? _hooks[slot] : null;
        if (functions is null) return activation;
        var point = _table.AtSlot(slot)!;
        var context = new HookContext(point, _model, _tokens, _mask, _past, _step, (p, t) => FireSlot(p.Slot, t));
        foreach (var function in functions)
        {
            var replacement = function(activation, context);
            if (replacement is null || ReferenceEquals(replacement, activation)) continue;
            if (!replacement.SameShape(activation))
                throw new InvalidOperationException(
                    $"A hook on {point.Name} returned shape {Tensor.Format(replacement.Shape)}; the activation has shape {Tensor.Format(activation.Shape)}.");
            activation.CopyFrom(replacement);
        }
        return activation;
    }

    /// <summary>The caller keeps <paramref name="tensor"/> past the end of the pass.</summary>
    public Tensor Keep(Tensor tensor) => _arena.Detach(tensor);

    public Tensor Embed()
    {
        int d = _cfg.DModel;
        var embed = _arena.Rent(_batch, _seq, d);
        var tokens = _tokens!;
        for (int b = 0; b < _batch; b++)
            for (int p = 0; p < _seq; p++)
            {
                int id = tokens[b, p];
                if ((uint)id >= (uint)_cfg.DVocab)
                    throw new ArgumentOutOfRangeException(nameof(tokens), $"Token {id} at batch {b}, position {p} is outside the vocabulary (0..{_cfg.DVocab - 1}).");
                _w.WE.AsSpan(id * d, d).CopyTo(embed.Span.Slice((b * _seq + p) * d, d));
            }
        embed = Fire(-1, CatalogIndex.Embed, embed);

        var resid = _arena.Rent(_batch, _seq, d);
        if (_cfg.PositionalEmbedding == PositionalEmbeddingType.Rotary)
        {
            embed.Span.CopyTo(resid.Span);
            return resid;
        }
        var pos = _arena.Rent(_batch, _seq, d);
        for (int b = 0; b < _batch; b++)
            for (int p = 0; p < _seq; p++)
            {
                var row = pos.Span.Slice((b * _seq + p) * d, d);
                if (IsPadding(b, _past + p)) row.Clear();
                else _w.WPos!.AsSpan(_positions[b * _seq + p] * d, d).CopyTo(row);
            }
        pos = Fire(-1, CatalogIndex.PosEmbed, pos);
        if (_cfg.PositionalEmbedding == PositionalEmbeddingType.Shortformer)
        {
            // Shortformer: positions go into every layer's query and key inputs, never the residual stream.
            _shortformerPositions = pos;
            embed.Span.CopyTo(resid.Span);
            return resid;
        }
        TensorPrimitives.Add(embed.Span, pos.Span, resid.Span);
        return resid;
    }

    /// <summary>One transformer block; returns the new residual stream and frees the block's temporaries.</summary>
    public Tensor Block(int layer, Tensor resid)
    {
        int mark = _arena.Mark;
        var lw = _w.Layers[layer];
        var residPre = Fire(layer, CatalogIndex.ResidPre, resid);
        var attnOut = Attention(layer, residPre);

        Tensor residPost;
        if (_cfg.AttnOnly)
        {
            residPost = Sum(residPre, attnOut);
        }
        else if (_cfg.ParallelAttnMlp)
        {
            var mlpOut = Mlp(layer, MlpInput(layer, residPre));
            residPost = Sum(residPre, attnOut);
            TensorPrimitives.Add(residPost.Span, mlpOut.Span, residPost.Span);
        }
        else
        {
            var residMid = Fire(layer, CatalogIndex.ResidMid, Sum(residPre, attnOut));
            var mlpOut = Mlp(layer, MlpInput(layer, residMid));
            residPost = Sum(residMid, mlpOut);
        }
        residPost = Fire(layer, CatalogIndex.ResidPost, residPost);
        _arena.ReleaseSince(mark, keep: residPost);
        _arena.Release(resid);
        return residPost;
    }

    /// <summary>Final norm and unembedding: the logits.</summary>
    public Tensor Unembed(Tensor resid)
    {
        var x = Norm(-1, CatalogIndex.LnFinalScale, CatalogIndex.LnFinalNormalized, _w.LnFinalWeight, _w.LnFinalBias, resid);
        x = Fire(-1, CatalogIndex.UnembedIn, x);
        var logits = _arena.Rent(_batch, _seq, _cfg.DVocab);
        Gemm.Multiply(x.Span, Rows, _packed.Unembed, logits.Span, _w.BU);
        return Fire(-1, CatalogIndex.UnembedOut, logits);
    }

    /// <summary>hook_mlp_in is a copy of the MLP's input, made only when something listens.</summary>
    Tensor MlpInput(int layer, Tensor resid)
    {
        if (!Listens(layer, CatalogIndex.MlpIn)) return resid;
        var copy = _arena.Rent(resid.Shape);
        resid.Span.CopyTo(copy.Span);
        return Fire(layer, CatalogIndex.MlpIn, copy);
    }

    Tensor Sum(Tensor a, Tensor b)
    {
        var sum = _arena.Rent(a.Shape);
        TensorPrimitives.Add(a.Span, b.Span, sum.Span);
        return sum;
    }

    /// <summary>Marks this pass's tokens as cached; call once the whole pass succeeded.</summary>
    public void CommitCache() => _cache?.Commit(_seq, _mask);

    public void Dispose() => _arena.Dispose();
}

using System.Buffers;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Models;

internal sealed partial class ForwardPass
{
    /// <summary>
    /// ln1, q/k/v, scores, pattern, z and the output projection, firing each hook point on the way.
    /// Returns hook_attn_out.
    /// </summary>
    Tensor Attention(int layer, Tensor residPre)
    {
        var lw = _w.Layers[layer];
        var pl = _packed.Layers[layer];
        int heads = _cfg.NHeads, kvHeads = _cfg.NKeyValueHeads;

        Tensor q, k, v;
        if (UsesPerHeadInputs(layer))
        {
            (q, k, v) = ProjectPerHeadInputs(layer, residPre);
        }
        else
        {
            var x = Norm(layer, CatalogIndex.Ln1Scale, CatalogIndex.Ln1Normalized, lw.Ln1Weight, lw.Ln1Bias, residPre);
            var xqk = WithShortformerPositions(x);
            q = Project(xqk, pl.Q, lw.BQ, heads);
            k = Project(xqk, pl.K, lw.BK, kvHeads);
            v = Project(x, pl.V, lw.BV, kvHeads);
        }
        q = Fire(layer, CatalogIndex.Q, q);
        k = Fire(layer, CatalogIndex.K, k);
        v = Fire(layer, CatalogIndex.V, v);
        if (_model.Rotary is { } rotary)
        {
            q = Fire(layer, CatalogIndex.RotQ, Rotated(q, rotary));
            k = Fire(layer, CatalogIndex.RotK, Rotated(k, rotary));
        }

        // With a KV cache the keys and values are the cached ones followed by this pass's.
        if (_cache is not null)
        {
            _cache.Write(layer, k, v);
            k = _cache.Keys(layer);
            v = _cache.Values(layer);
        }

        int keys = KeyLength;
        var scores = _arena.Rent(_batch, heads, _seq, keys);
        ComputeScores(q, k, scores);
        scores = Fire(layer, CatalogIndex.AttnScores, scores);

        var pattern = _arena.Rent(_batch, heads, _seq, keys);
        for (int r = 0; r < _batch * heads * _seq; r++)
            Softmax.Row(scores.Span.Slice(r * keys, keys), pattern.Span.Slice(r * keys, keys));
        pattern = Fire(layer, CatalogIndex.Pattern, pattern);

        var z = _arena.Rent(_batch, _seq, heads, _cfg.DHead);
        MixValues(pattern, v, z);
        z = Fire(layer, CatalogIndex.Z, z);

        var attnOut = _arena.Rent(_batch, _seq, _cfg.DModel);
        if (Listens(layer, CatalogIndex.Result)) SumHeadResults(layer, z, attnOut);
        else Gemm.Multiply(z.Span, Rows, pl.O, attnOut.Span, lw.BO);
        return Fire(layer, CatalogIndex.AttnOut, attnOut);
    }

    /// <summary>
    /// Shortformer models add the positional embedding to the query and key inputs after ln1 (not to
    /// the values): x + pos, broadcast over a head axis for per-head inputs. Other models: x itself.
    /// </summary>
    Tensor WithShortformerPositions(Tensor x)
    {
        if (_shortformerPositions is not { } pos) return x;
        int d = _cfg.DModel, perRow = x.Length / (Rows * d);
        var y = _arena.Rent(x.Shape);
        for (int r = 0; r < Rows; r++)
            for (int i = 0; i < perRow; i++)
                TensorPrimitives.Add(x.Span.Slice((r * perRow + i) * d, d), pos.Span.Slice(r * d, d), y.Span.Slice((r * perRow + i) * d, d));
        return y;
    }

    /// <summary>A rotated copy: hook_q/hook_k keep the unrotated values, hook_rot_q/hook_rot_k get these.</summary>
    Tensor Rotated(Tensor x, Rotary rotary)
    {
        var y = _arena.Rent(x.Shape);
        x.Span.CopyTo(y.Span);
        rotary.Apply(y, _positions);
        return y;
    }

    /// <summary>x [batch, pos, d_model] → [batch, pos, heads, d_head] with bias.</summary>
    Tensor Project(Tensor x, PackedMatrix w, float[] bias, int heads)
    {
        var y = _arena.Rent(_batch, _seq, heads, _cfg.DHead);
        Gemm.Multiply(x.Span, Rows, w, y.Span, bias);
        return y;
    }

    bool UsesPerHeadInputs(int layer)
        => Listens(layer, CatalogIndex.AttnIn) || UsesSplitInputs(layer);

    bool UsesSplitInputs(int layer)
        => Listens(layer, CatalogIndex.QInput) || Listens(layer, CatalogIndex.KInput) || Listens(layer, CatalogIndex.VInput);

    /// <summary>
    /// The gated per-head path (hook_attn_in, hook_q/k/v_input): each head reads its own copy of the
    /// block input, so a hook can change what one head sees. ln1 then runs on [batch, pos, head, d_model]
    /// — once for hook_attn_in alone, once per input when split inputs are in use (as TransformerLens).
    /// With grouped-query attention, key/value head g reads the input of query head g·(heads/kv_heads).
    /// </summary>
    (Tensor Q, Tensor K, Tensor V) ProjectPerHeadInputs(int layer, Tensor residPre)
    {
        var lw = _w.Layers[layer];
        var pl = _packed.Layers[layer];
        int heads = _cfg.NHeads, kvHeads = _cfg.NKeyValueHeads, group = heads / kvHeads;

        Tensor? attnIn = null;
        if (Listens(layer, CatalogIndex.AttnIn))
            attnIn = Fire(layer, CatalogIndex.AttnIn, RepeatPerHead(residPre, heads, null));

        Tensor NormAt(Tensor input) => Norm(layer, CatalogIndex.Ln1Scale, CatalogIndex.Ln1Normalized, lw.Ln1Weight, lw.Ln1Bias, input);

        if (!UsesSplitInputs(layer))
        {
            var shared = NormAt(attnIn!);
            var sharedQk = WithShortformerPositions(shared);
            return (ProjectPerHead(sharedQk, heads, h => h, pl.QHead, lw.BQ),
                    ProjectPerHead(sharedQk, kvHeads, g => g * group, pl.KHead, lw.BK),
                    ProjectPerHead(shared, kvHeads, g => g * group, pl.VHead, lw.BV));
        }

        var qIn = Fire(layer, CatalogIndex.QInput, RepeatPerHead(residPre, heads, attnIn, 1));
        var kIn = Fire(layer, CatalogIndex.KInput, RepeatPerHead(residPre, kvHeads, attnIn, group));
        var vIn = Fire(layer, CatalogIndex.VInput, RepeatPerHead(residPre, kvHeads, attnIn, group));
        var qNormed = WithShortformerPositions(NormAt(qIn));
        var kNormed = WithShortformerPositions(NormAt(kIn));
        var vNormed = NormAt(vIn);
        return (ProjectPerHead(qNormed, heads, h => h, pl.QHead, lw.BQ),
                ProjectPerHead(kNormed, kvHeads, g => g, pl.KHead, lw.BK),
                ProjectPerHead(vNormed, kvHeads, g => g, pl.VHead, lw.BV));
    }

    /// <summary>[batch, pos, d] → [batch, pos, heads, d]: copies of the input, or of every <paramref name="stride"/>-th head of <paramref name="source"/>.</summary>
    Tensor RepeatPerHead(Tensor x, int heads, Tensor? source, int stride = 1)
    {
        int d = _cfg.DModel, sourceHeads = source?.Dim(2) ?? 0;
        var y = _arena.Rent(_batch, _seq, heads, d);
        for (int r = 0; r < Rows; r++)
            for (int h = 0; h < heads; h++)
            {
                var from = source is null ? x.Span.Slice(r * d, d) : source.Span.Slice((r * sourceHeads + h * stride) * d, d);
                from.CopyTo(y.Span.Slice((r * heads + h) * d, d));
            }
        return y;
    }

    /// <summary>Per-head projection of per-head inputs [batch, pos, in_heads, d_model] → [batch, pos, heads, d_head].</summary>
    Tensor ProjectPerHead(Tensor input, int heads, Func<int, int> inputHead, Func<int, PackedMatrix> weight, float[] bias)
    {
        int d = _cfg.DModel, dh = _cfg.DHead, inHeads = input.Dim(2);
        var y = _arena.Rent(_batch, _seq, heads, dh);
        var gathered = _arena.Pool.Rent([Rows, d]);
        var projected = _arena.Pool.Rent([Rows, dh]);
        try
        {
            for (int h = 0; h < heads; h++)
            {
                int src = inputHead(h);
                for (int r = 0; r < Rows; r++) input.Span.Slice((r * inHeads + src) * d, d).CopyTo(gathered.Span.Slice(r * d, d));
                Gemm.Multiply(gathered.Span, Rows, weight(h), projected.Span, bias.AsSpan(h * dh, dh));
                for (int r = 0; r < Rows; r++) projected.Span.Slice(r * dh, dh).CopyTo(y.Span.Slice((r * heads + h) * dh, dh));
            }
        }
        finally
        {
            gathered.Dispose();
            projected.Dispose();
        }
        return y;
    }

    /// <summary>
    /// scores[b, h, i, j] = q_i·k_j / √d_head, −inf where key j comes after query i or is padding.
    /// k is [batch, key_capacity, kv_heads, d_head] (the KV cache's buffer, or this pass's keys).
    /// One small GEMM per (batch, head), spread over the cores.
    /// </summary>
    void ComputeScores(Tensor q, Tensor k, Tensor scores)
    {
        int heads = _cfg.NHeads, kvHeads = _cfg.NKeyValueHeads, group = heads / kvHeads, dh = _cfg.DHead;
        int t = _seq, keys = KeyLength, capacity = k.Dim(1);
        float scale = _cfg.UseAttnScale ? 1f / MathF.Sqrt(dh) : 1f;
        Parallel.For(0, _batch * heads, ParallelOptionsFor(_batch * heads, (long)t * keys * dh), bh =>
        {
            int b = bh / heads, h = bh % heads, g = h / group;
            var qh = ArrayPool<float>.Shared.Rent(t * dh);
            var kT = ArrayPool<float>.Shared.Rent(dh * keys);
            try
            {
                for (int i = 0; i < t; i++) q.Span.Slice(((b * t + i) * heads + h) * dh, dh).CopyTo(qh.AsSpan(i * dh, dh));
                for (int j = 0; j < keys; j++)
                {
                    var kRow = k.Span.Slice(((b * capacity + j) * kvHeads + g) * dh, dh);
                    for (int e = 0; e < dh; e++) kT[e * keys + j] = kRow[e];
                }
                var block = scores.Span.Slice(bh * t * keys, t * keys);
                Gemm.Multiply(qh.AsSpan(0, t * dh), t, dh, kT.AsSpan(0, dh * keys), keys, block, maxThreads: 1);
                TensorPrimitives.Multiply(block, scale, block);
                for (int i = 0; i < t; i++)
                    for (int j = 0; j < keys; j++)
                        if (j > _past + i || IsPadding(b, j)) block[i * keys + j] = float.NegativeInfinity;
            }
            finally
            {
                ArrayPool<float>.Shared.Return(qh);
                ArrayPool<float>.Shared.Return(kT);
            }
        });
    }

    /// <summary>z[b, i, h] = Σ_j pattern[b, h, i, j] · v[b, j, kv(h)].</summary>
    void MixValues(Tensor pattern, Tensor v, Tensor z)
    {
        int heads = _cfg.NHeads, kvHeads = _cfg.NKeyValueHeads, group = heads / kvHeads, dh = _cfg.DHead;
        int t = _seq, keys = KeyLength, capacity = v.Dim(1);
        Parallel.For(0, _batch * heads, ParallelOptionsFor(_batch * heads, (long)t * keys * dh), bh =>
        {
            int b = bh / heads, h = bh % heads, g = h / group;
            var vh = ArrayPool<float>.Shared.Rent(keys * dh);
            var zh = ArrayPool<float>.Shared.Rent(t * dh);
            try
            {
                for (int j = 0; j < keys; j++) v.Span.Slice(((b * capacity + j) * kvHeads + g) * dh, dh).CopyTo(vh.AsSpan(j * dh, dh));
                Gemm.Multiply(pattern.Span.Slice(bh * t * keys, t * keys), t, keys, vh.AsSpan(0, keys * dh), dh, zh.AsSpan(0, t * dh), maxThreads: 1);
                for (int i = 0; i < t; i++) zh.AsSpan(i * dh, dh).CopyTo(z.Span.Slice(((b * t + i) * heads + h) * dh, dh));
            }
            finally
            {
                ArrayPool<float>.Shared.Return(vh);
                ArrayPool<float>.Shared.Return(zh);
            }
        });
    }

    /// <summary>hook_result (each head's z_h·W_O[h], no bias), then attn_out = Σ_h result + b_O.</summary>
    void SumHeadResults(int layer, Tensor z, Tensor attnOut)
    {
        var pl = _packed.Layers[layer];
        int heads = _cfg.NHeads, dh = _cfg.DHead, d = _cfg.DModel;
        var result = _arena.Rent(_batch, _seq, heads, d);
        var zh = _arena.Pool.Rent([Rows, dh]);
        var part = _arena.Pool.Rent([Rows, d]);
        try
        {
            for (int h = 0; h < heads; h++)
            {
                for (int r = 0; r < Rows; r++) z.Span.Slice((r * heads + h) * dh, dh).CopyTo(zh.Span.Slice(r * dh, dh));
                Gemm.Multiply(zh.Span, Rows, pl.OHead(h), part.Span);
                for (int r = 0; r < Rows; r++) part.Span.Slice(r * d, d).CopyTo(result.Span.Slice((r * heads + h) * d, d));
            }
        }
        finally
        {
            zh.Dispose();
            part.Dispose();
        }
        result = Fire(layer, CatalogIndex.Result, result);

        var bo = _w.Layers[layer].BO;
        for (int r = 0; r < Rows; r++)
        {
            var outRow = attnOut.Span.Slice(r * d, d);
            bo.CopyTo(outRow);
            for (int h = 0; h < heads; h++) TensorPrimitives.Add(outRow, result.Span.Slice((r * heads + h) * d, d), outRow);
        }
    }

    /// <summary>Threads only pay off once each (batch, head) job has real work.</summary>
    static ParallelOptions ParallelOptionsFor(int jobs, long flopsPerJob)
        => new() { MaxDegreeOfParallelism = jobs > 1 && flopsPerJob * jobs > 200_000 ? Environment.ProcessorCount : 1 };
}

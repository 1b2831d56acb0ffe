using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Analysis;

/// <summary>Which block outputs <see cref="CacheAnalysis.DecomposeResid"/> includes.</summary>
public enum ResidMode { All, Attention, Mlp }

/// <summary>
/// TransformerLens's ActivationCache analysis: the residual stream as a sum of components
/// (accumulated, per block, per head, per neuron), norm scaling of such stacks, and direct logit
/// attribution. One deliberate difference: <see cref="ApplyLnToStack"/> also applies the norm's
/// weight when the model has one, so attributions are exact for unprocessed models too (for
/// processed models, whose norms have no weights, it is TransformerLens's computation).
/// </summary>
public static class CacheAnalysis
{
    /// <summary>
    /// The residual stream entering each layer up to and including <paramref name="layer"/> (default:
    /// every layer and the final residual): labels <c>0_pre</c>, <c>0_mid</c> (with <paramref name="inclMid"/>),
    /// …, <c>final_post</c>; with <paramref name="mlpInput"/> also that layer's <c>resid_mid</c>.
    /// </summary>
    public static ResidualStack AccumulatedResid(this ActivationCache cache, int? layer = null, bool inclMid = false, bool applyLn = false,
        int? position = null, bool mlpInput = false)
    {
        int n = cache.Model.Config.NLayers;
        int upTo = ResolveLayer(layer, n);
        var parts = new List<(string, Tensor)>();
        for (int l = 0; l <= upTo; l++)
        {
            if (l == n)
            {
                parts.Add(("final_post", cache["resid_post", n - 1]));
                break;
            }
            parts.Add(($"{l}_pre", cache["resid_pre", l]));
            if ((inclMid && l < upTo) || (mlpInput && l == upTo)) parts.Add(($"{l}_mid", cache["resid_mid", l]));
        }
        var stack = Stack(parts, position);
        return applyLn ? cache.ApplyLnToStack(stack, upTo, mlpInput, position) : stack;
    }

    /// <summary>
    /// The residual stream entering <paramref name="layer"/> as embed, pos_embed and each block's
    /// attn_out / mlp_out (labels <c>embed</c>, <c>pos_embed</c>, <c>0_attn_out</c>, <c>0_mlp_out</c>, …).
    /// With <paramref name="mlpInput"/>, the input to that layer's MLP (its attn_out included). Sums exactly to it.
    /// </summary>
    public static ResidualStack DecomposeResid(this ActivationCache cache, int? layer = null, bool mlpInput = false, ResidMode mode = ResidMode.All,
        bool applyLn = false, bool inclEmbeds = true, int? position = null)
    {
        int upTo = ResolveLayer(layer, cache.Model.Config.NLayers);
        var parts = new List<(string, Tensor)>();
        if (inclEmbeds) parts.AddRange(Embeddings(cache));
        for (int l = 0; l < upTo; l++)
        {
            if (mode != ResidMode.Mlp) parts.Add(($"{l}_attn_out", cache["attn_out", l]));
            if (mode != ResidMode.Attention && !cache.Model.Config.AttnOnly) parts.Add(($"{l}_mlp_out", cache["mlp_out", l]));
        }
        if (mlpInput && mode != ResidMode.Mlp) parts.Add(($"{upTo}_attn_out", cache["attn_out", upTo]));
        var stack = Stack(parts, position);
        return applyLn ? cache.ApplyLnToStack(stack, upTo, mlpInput, position) : stack;
    }

    /// <summary>Adds <c>blocks.L.attn.hook_result</c> (each head's z_h·W_O[h], no bias) for every layer whose hook_z is cached.</summary>
    public static void ComputeHeadResults(this ActivationCache cache)
    {
        var cfg = cache.Model.Config;
        for (int l = 0; l < cfg.NLayers; l++)
        {
            string name = $"blocks.{l}.attn.hook_result";
            if (cache.ContainsKey(name)) continue;
            var z = cache["z", l];
            cache.Store(name, HeadResults(cache.Model, l, z));
        }
    }

    /// <summary>
    /// Each head's output for layers below <paramref name="layer"/> (labels <c>L0H0</c> …), optionally with
    /// the remainder that makes them sum to the residual stream entering <paramref name="layer"/>.
    /// </summary>
    public static ResidualStack StackHeadResults(this ActivationCache cache, int? layer = null, bool inclRemainder = false, bool applyLn = false, int? position = null)
    {
        var cfg = cache.Model.Config;
        int upTo = ResolveLayer(layer, cfg.NLayers);
        var parts = new List<(string, Tensor)>();
        for (int l = 0; l < upTo; l++)
        {
            var result = HeadResultsOf(cache, l);
            for (int h = 0; h < cfg.NHeads; h++) parts.Add(($"L{l}H{h}", HeadSlice(result, h)));
        }
        if (inclRemainder) parts.Add(("remainder", Remainder(cache, upTo, parts, position: null)));
        var stack = Stack(parts, position);
        return applyLn ? cache.ApplyLnToStack(stack, upTo, position: position) : stack;
    }

    /// <summary>
    /// Each neuron's output post·W_out[n] for layers below <paramref name="layer"/> (labels <c>L0N0</c> …).
    /// This materialises [layers·d_mlp, batch, pos, d_model]; to project onto directions (e.g. logit
    /// directions) use <see cref="NeuronAttributions"/>, which never does.
    /// </summary>
    public static ResidualStack StackNeuronResults(this ActivationCache cache, int? layer = null, bool inclRemainder = false, bool applyLn = false, int? position = null)
    {
        var model = cache.Model;
        var cfg = model.Config;
        int upTo = ResolveLayer(layer, cfg.NLayers), d = cfg.DModel;
        var parts = new List<(string, Tensor)>();
        for (int l = 0; l < upTo; l++)
        {
            var post = cache["post", l];
            var wOut = model.Weights.Layers[l].WOut!;
            int rows = post.Length / cfg.DMlp;
            for (int n = 0; n < cfg.DMlp; n++)
            {
                var shape = post.Shape.ToArray();
                shape[^1] = d;
                var part = Tensor.Zeros(shape);
                for (int r = 0; r < rows; r++)
                    TensorPrimitives.Multiply(wOut.AsSpan(n * d, d), post.Span[r * cfg.DMlp + n], part.Span.Slice(r * d, d));
                parts.Add(($"L{l}N{n}", part));
            }
        }
        if (inclRemainder) parts.Add(("remainder", Remainder(cache, upTo, parts, position: null)));
        var stack = Stack(parts, position);
        return applyLn ? cache.ApplyLnToStack(stack, upTo, position: position) : stack;
    }

    /// <summary>
    /// Every neuron's direct contribution along <paramref name="directions"/> [batch, d_model] at one
    /// position, as [layers·d_mlp, batch]: what <c>LogitAttrs(StackNeuronResults(...))</c> gives for
    /// those directions, computed without ever forming the per-neuron d_model vectors. With
    /// <paramref name="applyLn"/> the final norm's scaling is folded into the direction
    /// (e = centre(w ∘ dir) / scale), as <see cref="ApplyLnToStack"/> would scale each component.
    /// </summary>
    public static ResidualStack NeuronAttributions(this ActivationCache cache, Tensor directions, int position = -1, int? layer = null, bool applyLn = true)
    {
        var model = cache.Model;
        var cfg = model.Config;
        int upTo = ResolveLayer(layer, cfg.NLayers), d = cfg.DModel, m = cfg.DMlp;
        int batch = directions.Dim(0);
        var effective = directions.Clone();
        bool norm = applyLn && cfg.Normalization != NormalizationType.None;
        var scales = new float[batch];
        for (int b = 0; b < batch; b++)
        {
            var e = effective[b].Span;
            scales[b] = 1f;
            if (!norm) continue;
            if (model.Weights.LnFinalWeight is { } w) TensorPrimitives.Multiply(e, w, e);
            if (cfg.NormCenters) TensorPrimitives.Subtract(e, TensorPrimitives.Sum(e) / d, e);
            var scale = cache["ln_final.hook_scale"];
            int p = position < 0 ? position + scale.Dim(1) : position;
            scales[b] = scale[b, p, 0];
        }
        var result = Tensor.Zeros(upTo * m, batch);
        var labels = new List<string>(upTo * m);
        for (int l = 0; l < upTo; l++)
        {
            var post = cache["post", l];
            int p = position < 0 ? position + post.Dim(1) : position;
            var wOut = model.Weights.Layers[l].WOut!;
            for (int n = 0; n < m; n++)
            {
                labels.Add($"L{l}N{n}");
                for (int b = 0; b < batch; b++)
                    result[l * m + n, b] = post[b, p, n] * TensorPrimitives.Dot(wOut.AsSpan(n * d, d), effective[b].Span) / scales[b];
            }
        }
        return new ResidualStack(result, labels);
    }

    /// <summary>
    /// TransformerLens's <c>get_full_resid_decomposition</c>: embed, pos_embed, every head, every layer's
    /// MLP (or every neuron with <paramref name="expandNeurons"/>), and the summed biases (<c>bias</c>), which
    /// together add up to the residual stream entering <paramref name="layer"/>.
    /// </summary>
    public static ResidualStack GetFullResidDecomposition(this ActivationCache cache, int? layer = null, bool expandNeurons = false, bool applyLn = false, int? position = null)
    {
        var model = cache.Model;
        var cfg = model.Config;
        int upTo = ResolveLayer(layer, cfg.NLayers), d = cfg.DModel;
        var parts = new List<(string, Tensor)>(Embeddings(cache));
        var bias = new float[d];
        for (int l = 0; l < upTo; l++)
        {
            var result = HeadResultsOf(cache, l);
            for (int h = 0; h < cfg.NHeads; h++) parts.Add(($"L{l}H{h}", HeadSlice(result, h)));
            TensorPrimitives.Add(bias, model.Weights.Layers[l].BO, bias);
            if (cfg.AttnOnly) continue;
            if (!expandNeurons)
            {
                parts.Add(($"{l}_mlp_out", cache["mlp_out", l]));
                continue;
            }
            var neurons = cache.StackNeuronResults(l + 1);
            for (int n = 0; n < cfg.DMlp; n++) parts.Add(($"L{l}N{n}", neurons.Components[l * cfg.DMlp + n]));
            if (model.Weights.Layers[l].BOut is { } bOut) TensorPrimitives.Add(bias, bOut, bias);
        }
        var shape = cache["resid_pre", 0].Shape.ToArray();
        var biasTensor = Tensor.Zeros(shape);
        for (int r = 0; r < biasTensor.Length / d; r++) bias.CopyTo(biasTensor.Span.Slice(r * d, d));
        parts.Add(("bias", biasTensor));
        var stack = Stack(parts, position);
        return applyLn ? cache.ApplyLnToStack(stack, upTo, position: position) : stack;
    }

    /// <summary>
    /// Scales every component as the norm before <paramref name="layer"/>'s attention (ln1), its MLP
    /// (<paramref name="mlpInput"/>: ln2) or the unembedding (<paramref name="layer"/> = n_layers or null:
    /// ln_final) scaled the actual residual stream: centred for LayerNorm, divided by the cached
    /// <c>hook_scale</c>, times the norm's weight if it has one. Linear, so the scaled components still add up.
    /// </summary>
    public static ResidualStack ApplyLnToStack(this ActivationCache cache, ResidualStack stack, int? layer = null, bool mlpInput = false, int? position = null)
    {
        var model = cache.Model;
        var cfg = model.Config;
        if (cfg.Normalization == NormalizationType.None) return stack;
        int l = ResolveLayer(layer, cfg.NLayers), d = cfg.DModel;
        var (scaleName, weight) = l == cfg.NLayers
            ? ("ln_final.hook_scale", model.Weights.LnFinalWeight)
            : mlpInput ? ($"blocks.{l}.ln2.hook_scale", model.Weights.Layers[l].Ln2Weight) : ($"blocks.{l}.ln1.hook_scale", model.Weights.Layers[l].Ln1Weight);
        if (!cache.ContainsKey(scaleName)) throw new KeyNotFoundException($"Applying the norm needs '{scaleName}' in the cache.");
        var scale = cache[scaleName];   // [batch, pos, 1]
        int batch = scale.Dim(0), seq = scale.Dim(1);
        var scaled = stack.Components.Clone();
        int perComponent = scaled.Length / stack.Count / d;     // rows per component: batch·pos or batch
        for (int c = 0; c < stack.Count; c++)
            for (int r = 0; r < perComponent; r++)
            {
                int b = position is null ? r / seq : r;
                int p = position is null ? r % seq : (position.Value < 0 ? position.Value + seq : position.Value);
                var v = scaled.Span.Slice((c * perComponent + r) * d, d);
                if (cfg.NormCenters) TensorPrimitives.Subtract(v, TensorPrimitives.Sum(v) / d, v);
                TensorPrimitives.Divide(v, scale[b, p, 0], v);
                if (weight is not null) TensorPrimitives.Multiply(v, weight, v);
            }
        return new ResidualStack(scaled, stack.Labels);
    }

    /// <summary>
    /// Direct logit attribution: each component's contribution to the logit of <paramref name="tokens"/>[b]
    /// (minus that of <paramref name="incorrectTokens"/>[b]) at <paramref name="position"/>, as
    /// [component, batch]. The stack is scaled by the final norm first unless <paramref name="hasBeenLn"/>.
    /// </summary>
    public static Tensor LogitAttrs(this ActivationCache cache, ResidualStack stack, int[] tokens, int[]? incorrectTokens = null, int position = -1, bool hasBeenLn = false)
    {
        var cfg = cache.Model.Config;
        int d = cfg.DModel;
        var atPosition = stack.Components.Rank == 4 ? new ResidualStack(AtPosition(stack.Components, position), stack.Labels) : stack;
        if (!hasBeenLn) atPosition = cache.ApplyLnToStack(atPosition, cfg.NLayers, position: position);
        int batch = atPosition.Components.Dim(1);
        if (tokens.Length != batch) throw new ArgumentException($"{tokens.Length} tokens for a batch of {batch}.");
        var directions = cache.Model.TokensToResidualDirections(tokens);
        if (incorrectTokens is not null)
        {
            var wrong = cache.Model.TokensToResidualDirections(incorrectTokens);
            TensorPrimitives.Subtract(directions.Span, wrong.Span, directions.Span);
        }
        var attrs = Tensor.Zeros(atPosition.Count, batch);
        for (int c = 0; c < atPosition.Count; c++)
            for (int b = 0; b < batch; b++)
                attrs[c, b] = TensorPrimitives.Dot(atPosition.Components.Span.Slice((c * batch + b) * d, d), directions[b].Span);
        return attrs;
    }

    /// <summary>
    /// The logit lens: the accumulated residual stream after each layer, through the final norm and the
    /// unembedding, at one position: [layers + 1, batch, d_vocab] (row 0 = embeddings only).
    /// </summary>
    public static Tensor LogitLens(this ActivationCache cache, int position = -1)
    {
        var model = cache.Model;
        var cfg = model.Config;
        var stack = cache.AccumulatedResid(applyLn: true, position: position);
        int count = stack.Count, batch = stack.Components.Dim(1), d = cfg.DModel, v = cfg.DVocab;
        var lens = Tensor.Zeros(count, batch, v);
        var wu = model.Weights.UntiedUnembed(cfg);
        var bias = model.Weights.LnFinalBias;
        var x = new float[d];
        for (int c = 0; c < count; c++)
            for (int b = 0; b < batch; b++)
            {
                stack.Components.Span.Slice((c * batch + b) * d, d).CopyTo(x);
                if (bias is not null) TensorPrimitives.Add(x, bias, x);
                var row = lens.Span.Slice((c * batch + b) * v, v);
                if (model.Weights.BU is { } bu) bu.CopyTo(row); else row.Clear();
                for (int i = 0; i < d; i++) TensorPrimitives.MultiplyAdd(wu.AsSpan(i * v, v), x[i], row, row);
            }
        return lens;
    }

    /// <summary>TransformerLens's <c>tokens_to_residual_directions</c>: the unembedding columns W_U[:, t], as [n, d_model].</summary>
    public static Tensor TokensToResidualDirections(this HookedTransformer model, IReadOnlyList<int> tokens)
    {
        var cfg = model.Config;
        int d = cfg.DModel;
        var directions = Tensor.Zeros(tokens.Count, d);
        for (int i = 0; i < tokens.Count; i++)
        {
            int t = tokens[i];
            if ((uint)t >= (uint)cfg.DVocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"Token {t} is outside the vocabulary (0..{cfg.DVocab - 1}).");
            for (int j = 0; j < d; j++)
                directions[i, j] = model.Weights.WU is { } wu ? wu[j * cfg.DVocab + t] : model.Weights.WE[t * d + j];
        }
        return directions;
    }

    static IEnumerable<(string, Tensor)> Embeddings(ActivationCache cache)
    {
        yield return ("embed", cache["hook_embed"]);
        // Shortformer positions never enter the residual stream.
        if (cache.Model.Config.PositionalEmbedding == PositionalEmbeddingType.Standard)
            yield return ("pos_embed", cache["hook_pos_embed"]);
    }

    /// <summary>The residual stream entering <paramref name="layer"/> minus the given components.</summary>
    static Tensor Remainder(ActivationCache cache, int layer, List<(string, Tensor)> parts, int? position)
    {
        int n = cache.Model.Config.NLayers;
        var total = (layer == n ? cache["resid_post", n - 1] : cache["resid_pre", layer]).Clone();
        foreach (var (_, t) in parts) TensorPrimitives.Subtract(total.Span, t.Span, total.Span);
        return total;
    }

    /// <summary>result [batch, pos, head, d] → head h as [batch, pos, d].</summary>
    static Tensor HeadSlice(Tensor result, int h)
    {
        int batch = result.Dim(0), seq = result.Dim(1), heads = result.Dim(2), d = result.Dim(3);
        var slice = Tensor.Zeros(batch, seq, d);
        for (int r = 0; r < batch * seq; r++) result.Span.Slice((r * heads + h) * d, d).CopyTo(slice.Span.Slice(r * d, d));
        return slice;
    }

    /// <summary>The cached hook_result of <paramref name="layer"/>, or one computed from its cached hook_z.</summary>
    static Tensor HeadResultsOf(ActivationCache cache, int layer)
        => cache.ContainsKey($"blocks.{layer}.attn.hook_result") ? cache["result", layer] : HeadResults(cache.Model, layer, cache["z", layer]);

    internal static Tensor HeadResults(HookedTransformer model, int layer, Tensor z)
    {
        var cfg = model.Config;
        int rows = z.Dim(0) * z.Dim(1), heads = cfg.NHeads, dh = cfg.DHead, d = cfg.DModel;
        var wo = model.Weights.Layers[layer].WO;
        var result = Tensor.Zeros(z.Dim(0), z.Dim(1), heads, d);
        for (int r = 0; r < rows; r++)
            for (int h = 0; h < heads; h++)
            {
                var outRow = result.Span.Slice((r * heads + h) * d, d);
                for (int e = 0; e < dh; e++)
                    TensorPrimitives.MultiplyAdd(wo.AsSpan((h * dh + e) * d, d), z.Span[(r * heads + h) * dh + e], outRow, outRow);
            }
        return result;
    }

    static ResidualStack Stack(List<(string Label, Tensor Value)> parts, int? position)
    {
        if (parts.Count == 0) throw new ArgumentException("Nothing to stack: ask for at least one layer or the embeddings.");
        var first = position is null ? parts[0].Value : AtPosition(parts[0].Value, position.Value);
        var shape = new[] { parts.Count }.Concat(first.Shape.ToArray()).ToArray();
        var stacked = Tensor.Zeros(shape);
        int size = first.Length;
        for (int i = 0; i < parts.Count; i++)
        {
            var value = position is null ? parts[i].Value : AtPosition(parts[i].Value, position.Value);
            value.Span.CopyTo(stacked.Span.Slice(i * size, size));
        }
        return new ResidualStack(stacked, parts.Select(p => p.Label).ToList());
    }

    /// <summary>[..., batch, pos, d] → [..., batch, d] at one position (negative counts from the end).</summary>
    static Tensor AtPosition(Tensor t, int position)
    {
        int seq = t.Dim(-2), d = t.Dim(-1), outer = t.Length / (seq * d);
        int p = position < 0 ? position + seq : position;
        if ((uint)p >= (uint)seq) throw new ArgumentOutOfRangeException(nameof(position), $"Position {position} is outside 0..{seq - 1}.");
        var shape = t.Shape.ToArray().Where((_, i) => i != t.Rank - 2).ToArray();
        var result = Tensor.Zeros(shape);
        for (int o = 0; o < outer; o++) t.Span.Slice((o * seq + p) * d, d).CopyTo(result.Span.Slice(o * d, d));
        return result;
    }

    static int ResolveLayer(int? layer, int n)
    {
        int l = layer is null || layer == -1 ? n : layer.Value < 0 ? layer.Value + n : layer.Value;
        if (l < 0 || l > n) throw new ArgumentOutOfRangeException(nameof(layer), $"Layer {layer} is outside 0..{n}.");
        return l;
    }
}

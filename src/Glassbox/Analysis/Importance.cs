using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>
/// How much a metric (default: the loss) changes when each head, neuron or layer is ablated, as
/// tables. Variants run batched: the input is repeated once per variant along the batch axis and each
/// copy ablates its own head (neuron, layer), so a layer's heads cost one forward pass, not one each
/// (<c>maxBatch</c> bounds the sequences per pass).
/// </summary>
public static class Importance
{
    /// <summary>metric(ablated) − metric(clean) per head: [layers, heads].</summary>
    public static Tensor Heads(HookedTransformer model, IntTensor tokens, AblationMode mode = AblationMode.Zero, ActivationMeans? means = null,
        ActivationCache? source = null, Metric? metric = null, int maxBatch = 64, IProgress<double>? progress = null)
    {
        var cfg = model.Config;
        var result = Tensor.Zeros(cfg.NLayers, cfg.NHeads);
        for (int l = 0; l < cfg.NLayers; l++)
        {
            _ = Ablation.Heads(l, [0], mode, means, source);   // fails here, not mid-run, on bad arguments
            int layer = l;
            var deltas = Sweep(model, tokens, cfg.NHeads, maxBatch, metric, (first, count, batch) =>
            [
                new HookBinding($"blocks.{layer}.attn.hook_z", (z, context) =>
                {
                    for (int g = 0; g < count; g++)
                        Ablation.Heads($"blocks.{layer}.attn.hook_z", [first + g], mode, means, source).Function(z.Slice(g * batch, batch), context);
                    return null;
                }),
            ], ScaledProgress.Stage(progress, layer, cfg.NLayers));
            deltas.AsSpan().CopyTo(result[l].Span);
        }
        return result;
    }

    /// <summary>metric(ablated) − metric(clean) per neuron of <paramref name="layer"/>'s MLP: [d_mlp].</summary>
    public static Tensor Neurons(HookedTransformer model, IntTensor tokens, int layer, AblationMode mode = AblationMode.Zero, ActivationMeans? means = null,
        ActivationCache? source = null, Metric? metric = null, int maxBatch = 64, IProgress<double>? progress = null)
    {
        string name = $"blocks.{layer}.mlp.hook_post";
        _ = model.HookPoints[name];
        var deltas = Sweep(model, tokens, model.Config.DMlp, maxBatch, metric, (first, count, batch) =>
        [
            new HookBinding(name, (post, context) =>
            {
                for (int g = 0; g < count; g++)
                    Ablation.Neurons(layer, [first + g], mode, means, source).Function(post.Slice(g * batch, batch), context);
                return null;
            }),
        ], progress);
        return Tensor.FromArray(deltas, deltas.Length);
    }

    /// <summary>metric(layer skipped) − metric(clean) per layer: [layers]. A skipped block passes its input through unchanged.</summary>
    public static Tensor Layers(HookedTransformer model, IntTensor tokens, Metric? metric = null, int maxBatch = 64, IProgress<double>? progress = null)
    {
        var deltas = Sweep(model, tokens, model.Config.NLayers, maxBatch, metric, (first, count, batch) =>
            Enumerable.Range(0, count).SelectMany(g => SkipRows(first + g, g * batch, batch)).ToArray(), progress);
        return Tensor.FromArray(deltas, deltas.Length);
    }

    /// <summary>Skips <paramref name="layer"/> for rows [start, start+count) only.</summary>
    static HookBinding[] SkipRows(int layer, int start, int count)
    {
        Tensor? saved = null;
        return
        [
            new($"blocks.{layer}.hook_resid_pre", Hook.Of(t => saved = t.Slice(start, count).Clone())),
            new($"blocks.{layer}.hook_resid_post", Hook.Of(t => t.Slice(start, count).CopyFrom(saved!))),
        ];
    }

    /// <summary>
    /// Runs <paramref name="variants"/> ablated copies of the input, as many per forward pass as
    /// <paramref name="maxBatch"/> allows, and returns metric(variant) − metric(clean) for each.
    /// </summary>
    static float[] Sweep(HookedTransformer model, IntTensor tokens, int variants, int maxBatch, Metric? metric,
        Func<int, int, int, HookBinding[]> hooksFor, IProgress<double>? progress)
    {
        metric ??= Metrics.Loss;
        int batch = tokens.Dim(0), seq = tokens.Dim(1);
        float clean;
        using (var logits = model.Run(tokens)) clean = metric(logits, tokens);
        int perPass = Math.Max(1, maxBatch / batch);
        var deltas = new float[variants];
        for (int first = 0; first < variants; first += perPass)
        {
            int count = Math.Min(perPass, variants - first);
            var input = TokenBatch.Repeat(tokens, count);
            using var logits = model.Run(input, new ForwardOptions { Hooks = hooksFor(first, count, batch) });
            for (int g = 0; g < count; g++) deltas[first + g] = metric(logits.Slice(g * batch, batch), tokens) - clean;
            progress?.Report((double)(first + count) / variants);
        }
        return deltas;
    }
}

using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>Options for activation patching sweeps.</summary>
public sealed record PatchingOptions
{
    /// <summary>Sequences per forward pass; several patches share one pass along the batch axis.</summary>
    public int MaxBatch { get; init; } = 64;

    /// <summary>
    /// Start each patched run at the patched layer from the corrupted run's residual stream, instead of
    /// re-running the layers before it (which the patch cannot change). On by default.
    /// </summary>
    public bool Resume { get; init; } = true;

    /// <summary>Fraction of patched runs done, from 0 to 1.</summary>
    public IProgress<double>? Progress { get; init; }
}

/// <summary>
/// Activation patching, as TransformerLens's <c>patching</c> module: run the corrupted input, copy one
/// activation (a layer × position, a head, …) from the clean run, and record the metric. Results have
/// TransformerLens's shapes: [layer, pos] for residual points, [layer, pos, head] by position,
/// [layer, head] over all positions, [layer, head, dest_pos] for patterns by position, and the
/// <c>Every</c> variants stack those. Faster than TransformerLens's one full forward per patch: each
/// patched run resumes at the patched layer and many patches share a batch.
/// </summary>
public static class Patching
{
    public static Tensor ResidPre(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => ByLayerAndPosition(model, corrupted, clean, metric, "hook_resid_pre", options);

    public static Tensor AttnOut(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => ByLayerAndPosition(model, corrupted, clean, metric, "hook_attn_out", options);

    public static Tensor MlpOut(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => ByLayerAndPosition(model, corrupted, clean, metric, "hook_mlp_out", options);

    /// <summary>Head outputs (hook_z) patched at one position: [layer, pos, head].</summary>
    public static Tensor AttnHeadOutByPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => HeadsByPosition(model, corrupted, clean, metric, "attn.hook_z", options);

    public static Tensor AttnHeadQByPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => HeadsByPosition(model, corrupted, clean, metric, "attn.hook_q", options);

    public static Tensor AttnHeadKByPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => HeadsByPosition(model, corrupted, clean, metric, "attn.hook_k", options);

    public static Tensor AttnHeadVByPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => HeadsByPosition(model, corrupted, clean, metric, "attn.hook_v", options);

    /// <summary>Attention patterns patched for one destination (query) position: [layer, head, dest_pos].</summary>
    public static Tensor AttnHeadPatternByPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
    {
        var byPos = HeadsByPosition(model, corrupted, clean, metric, "attn.hook_pattern", options);   // [layer, pos, head]
        int layers = byPos.Dim(0), seq = byPos.Dim(1), heads = byPos.Dim(2);
        var result = Tensor.Zeros(layers, heads, seq);
        for (int l = 0; l < layers; l++) for (int p = 0; p < seq; p++) for (int h = 0; h < heads; h++) result[l, h, p] = byPos[l, p, h];
        return result;
    }

    /// <summary>Head outputs (hook_z) patched at every position: [layer, head].</summary>
    public static Tensor AttnHeadOutAllPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => HeadsAllPositions(model, corrupted, clean, metric, "attn.hook_z", options);

    public static Tensor AttnHeadQAllPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => HeadsAllPositions(model, corrupted, clean, metric, "attn.hook_q", options);

    public static Tensor AttnHeadKAllPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => HeadsAllPositions(model, corrupted, clean, metric, "attn.hook_k", options);

    public static Tensor AttnHeadVAllPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => HeadsAllPositions(model, corrupted, clean, metric, "attn.hook_v", options);

    public static Tensor AttnHeadPatternAllPos(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => HeadsAllPositions(model, corrupted, clean, metric, "attn.hook_pattern", options);

    /// <summary>resid_pre, attn_out and mlp_out by layer and position: [3, layer, pos].</summary>
    public static Tensor BlockEvery(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => Stack([
            ResidPre(model, corrupted, clean, metric, Stage(options, 0, 3)),
            AttnOut(model, corrupted, clean, metric, Stage(options, 1, 3)),
            MlpOut(model, corrupted, clean, metric, Stage(options, 2, 3))]);

    /// <summary>Head output, q, k, v and pattern over all positions: [5, layer, head].</summary>
    public static Tensor AttnHeadAllPosEvery(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => Stack([
            AttnHeadOutAllPos(model, corrupted, clean, metric, Stage(options, 0, 5)),
            AttnHeadQAllPos(model, corrupted, clean, metric, Stage(options, 1, 5)),
            AttnHeadKAllPos(model, corrupted, clean, metric, Stage(options, 2, 5)),
            AttnHeadVAllPos(model, corrupted, clean, metric, Stage(options, 3, 5)),
            AttnHeadPatternAllPos(model, corrupted, clean, metric, Stage(options, 4, 5))]);

    /// <summary>Head output, q, k, v and pattern (by destination) per position: [5, layer, pos, head].</summary>
    public static Tensor AttnHeadByPosEvery(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, PatchingOptions? options = null)
        => Stack([
            AttnHeadOutByPos(model, corrupted, clean, metric, Stage(options, 0, 5)),
            AttnHeadQByPos(model, corrupted, clean, metric, Stage(options, 1, 5)),
            AttnHeadKByPos(model, corrupted, clean, metric, Stage(options, 2, 5)),
            AttnHeadVByPos(model, corrupted, clean, metric, Stage(options, 3, 5)),
            HeadsByPosition(model, corrupted, clean, metric, "attn.hook_pattern", Stage(options, 4, 5))]);

    /// <summary>The options of part <paramref name="stage"/> of <paramref name="stages"/>, reporting progress as a share of the whole.</summary>
    static PatchingOptions? Stage(PatchingOptions? options, int stage, int stages)
        => options?.Progress is null ? options : options with { Progress = ScaledProgress.Stage(options.Progress, stage, stages) };

    /// <summary>One patch: an index on the point's head axis (or none) and a position (or none = all).</summary>
    public readonly record struct Patch(int? Head, int? Position);

    /// <summary>
    /// The generic sweep: for each layer, run the corrupted input with each of <paramref name="patches"/>
    /// applied at <c>blocks.L.{point}</c> from the clean cache; returns the metric per (layer, patch).
    /// </summary>
    public static float[,] Sweep(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, string point,
        IReadOnlyList<Patch> patches, PatchingOptions? options = null)
    {
        options ??= new PatchingOptions();
        var cfg = model.Config;
        int batch = corrupted.Dim(0), seq = corrupted.Dim(1);
        _ = model.HookPoints[$"blocks.0.{point}"];
        for (int l = 0; l < cfg.NLayers; l++)
            if (!clean.ContainsKey($"blocks.{l}.{point}"))
                throw new KeyNotFoundException($"Patching {point} needs blocks.{l}.{point} in the clean cache (cache it, e.g. with the filter \"blocks.*.{point}\").");

        // The corrupted residual stream entering each layer: where a resumed run starts.
        ActivationCache? corruptedCache = null;
        if (options.Resume) (_, corruptedCache) = model.RunWithCache(corrupted, "blocks.*.hook_resid_pre");
        using var corruptedCacheScope = corruptedCache;

        var results = new float[cfg.NLayers, patches.Count];
        int perPass = Math.Max(1, options.MaxBatch / batch);
        int total = cfg.NLayers * patches.Count, done = 0;
        for (int l = 0; l < cfg.NLayers; l++)
        {
            string name = $"blocks.{l}.{point}";
            for (int first = 0; first < patches.Count; first += perPass)
            {
                int count = Math.Min(perPass, patches.Count - first);
                var tokens = TokenBatch.Repeat(corrupted, count);
                var hook = new HookBinding(name, (t, context) =>
                {
                    for (int g = 0; g < count; g++)
                    {
                        var patch = patches[first + g];
                        var edit = patch.Head is int h
                            ? Ablation.Heads(name, [h], AblationMode.Resample, source: clean, positions: patch.Position is int p ? [p] : null)
                            : Ablation.Positions(name, patch.Position is int q ? [q] : Enumerable.Range(0, seq).ToArray(), AblationMode.Resample, source: clean);
                        edit.Function(t.Slice(g * batch, batch), context);
                    }
                    return null;
                });
                var forward = new ForwardOptions { Hooks = [hook] };
                using var result = options.Resume
                    ? model.ForwardFromResidual(Repeat(corruptedCache!["resid_pre", l], count), l, tokens, forward)
                    : model.Forward(tokens, forward);
                for (int g = 0; g < count; g++) results[l, first + g] = metric(result.Logits!.Slice(g * batch, batch), corrupted);
                done += count;
                options.Progress?.Report((double)done / total);
            }
        }
        return results;
    }

    static Tensor ByLayerAndPosition(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, string point, PatchingOptions? options)
    {
        int seq = corrupted.Dim(1);
        var patches = Enumerable.Range(0, seq).Select(p => new Patch(null, p)).ToList();
        var r = Sweep(model, corrupted, clean, metric, point, patches, options);
        var result = Tensor.Zeros(model.Config.NLayers, seq);
        for (int l = 0; l < result.Dim(0); l++) for (int p = 0; p < seq; p++) result[l, p] = r[l, p];
        return result;
    }

    static Tensor HeadsByPosition(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, string point, PatchingOptions? options)
    {
        int seq = corrupted.Dim(1), heads = HeadCountOf(model, point);
        var patches = (from p in Enumerable.Range(0, seq) from h in Enumerable.Range(0, heads) select new Patch(h, p)).ToList();
        var r = Sweep(model, corrupted, clean, metric, point, patches, options);
        var result = Tensor.Zeros(model.Config.NLayers, seq, heads);
        for (int l = 0; l < result.Dim(0); l++) for (int i = 0; i < patches.Count; i++) result[l, i / heads, i % heads] = r[l, i];
        return result;
    }

    static Tensor HeadsAllPositions(HookedTransformer model, IntTensor corrupted, ActivationCache clean, Metric metric, string point, PatchingOptions? options)
    {
        int heads = HeadCountOf(model, point);
        var patches = Enumerable.Range(0, heads).Select(h => new Patch(h, null)).ToList();
        var r = Sweep(model, corrupted, clean, metric, point, patches, options);
        var result = Tensor.Zeros(model.Config.NLayers, heads);
        for (int l = 0; l < result.Dim(0); l++) for (int h = 0; h < heads; h++) result[l, h] = r[l, h];
        return result;
    }

    static int HeadCountOf(HookedTransformer model, string point)
        => model.HookPoints[$"blocks.0.{point}"].Spec.Heads == HeadCount.KeyValueHeads ? model.Config.NKeyValueHeads : model.Config.NHeads;

    static Tensor Repeat(Tensor t, int times)
    {
        var shape = t.Shape.ToArray();
        shape[0] *= times;
        var result = Tensor.Zeros(shape);
        for (int g = 0; g < times; g++) t.Span.CopyTo(result.Span.Slice(g * t.Length));
        return result;
    }

    static Tensor Stack(Tensor[] parts)
    {
        var shape = new[] { parts.Length }.Concat(parts[0].Shape.ToArray()).ToArray();
        var result = Tensor.Zeros(shape);
        for (int i = 0; i < parts.Length; i++) parts[i].Span.CopyTo(result.Span.Slice(i * parts[0].Length));
        return result;
    }
}

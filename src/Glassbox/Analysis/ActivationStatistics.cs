using Glassbox.Export;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>
/// Statistics of chosen hook points over a dataset, computed while it streams through the model:
/// mean/std/min/max/sparsity per point, dead neurons, neurons ranked by variance. Nothing is cached;
/// memory is bounded by the points' widths. Optionally spills the raw activations of each batch to
/// disk (one safetensors file per batch) for later study.
/// </summary>
public sealed class ActivationStatistics
{
    readonly Dictionary<string, HookStatistics> _points = new(StringComparer.Ordinal);
    readonly List<string> _order = [];

    public static ActivationStatistics Compute(HookedTransformer model, IEnumerable<IntTensor> batches, HookFilter names,
        float sparsityThreshold = 0f, string? spillFolder = null, IProgress<int>? batchesDone = null)
    {
        var stats = new ActivationStatistics();
        if (spillFolder is not null) Directory.CreateDirectory(spillFolder);
        int index = 0;
        foreach (var batch in batches)
        {
            var spilled = spillFolder is null ? null : new List<SafetensorsWriteEntry>();
            var hook = Hook.Of((t, c) =>
            {
                if (!stats._points.TryGetValue(c.Name, out var s))
                {
                    stats._points[c.Name] = s = new HookStatistics(c.Name, t.Dim(-1), sparsityThreshold);
                    stats._order.Add(c.Name);
                }
                s.Add(t.Span);
                spilled?.Add(SafetensorsWriteEntry.Float32(c.Name, t.Shape.ToArray().Select(d => (long)d).ToArray(), t.ToArray()));
            });
            model.Forward(batch, new ForwardOptions { Hooks = [new HookBinding(names, hook)], Return = ReturnType.None }).Dispose();
            if (spilled is not null)
            {
                spilled.Add(SafetensorsWriteEntry.Int64("tokens", [batch.Dim(0), batch.Dim(1)], batch.Span.ToArray().Select(t => (long)t).ToArray()));
                SafetensorsWriter.Write(Path.Combine(spillFolder!, $"batch{index:D5}.safetensors"), spilled);
            }
            index++;
            batchesDone?.Report(index);
        }
        return stats;
    }

    /// <summary>Points in firing order.</summary>
    public IReadOnlyList<string> Names => _order;

    public HookStatistics this[string name] => _points.TryGetValue(name, out var s)
        ? s : throw new KeyNotFoundException($"No statistics for '{name}'; computed: {string.Join(", ", _order.Take(8))}{(_order.Count > 8 ? ", ..." : "")}.");

    /// <summary>Units of <paramref name="name"/> (e.g. <c>blocks.0.mlp.hook_post</c>) never above the sparsity threshold: dead neurons.</summary>
    public IReadOnlyList<int> Dead(string name)
    {
        var s = this[name];
        return Enumerable.Range(0, s.Width).Where(i => s.UnitActiveCount(i) == 0).ToList();
    }

    /// <summary>Units of <paramref name="name"/> by variance over the dataset, largest first: a cheap importance ranking.</summary>
    public IReadOnlyList<(int Unit, double Variance)> ByVariance(string name)
    {
        var s = this[name];
        return Enumerable.Range(0, s.Width).Select(i => (i, s.UnitVariance(i))).OrderByDescending(x => x.Item2).ThenBy(x => x.i).ToList();
    }
}

using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>
/// Mean activations over a reference dataset, for mean ablation: averaged over the batch and
/// position axes (attention patterns and scores: over the batch only, so their sequences must all
/// have one length). Accumulated batch by batch in double precision, so any number of batches fits.
/// </summary>
public sealed class ActivationMeans
{
    readonly Dictionary<string, double[]> _sums = new(StringComparer.Ordinal);
    readonly Dictionary<string, int[]> _shapes = new(StringComparer.Ordinal);
    readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="batches"/> and averages the points <paramref name="names"/> selects.</summary>
    public static ActivationMeans Compute(HookedTransformer model, IEnumerable<IntTensor> batches, HookFilter names)
    {
        var means = new ActivationMeans();
        var hook = Hook.Of((t, c) => means.Add(c.Name, c.Kind, t));
        foreach (var batch in batches)
            model.Forward(batch, new ForwardOptions { Hooks = [new HookBinding(names, hook)], Return = ReturnType.None }).Dispose();
        return means;
    }

    public IEnumerable<string> Names => _sums.Keys;

    /// <summary>The mean of <paramref name="name"/>: [head, d] for head vectors, [d_mlp] for neurons, [d_model] for residuals, [head, q, k] for patterns.</summary>
    public Tensor this[string name]
    {
        get
        {
            if (!_sums.TryGetValue(name, out var sum))
                throw new KeyNotFoundException($"No mean for '{name}'; computed: {string.Join(", ", _sums.Keys.Take(8))}{(_sums.Count > 8 ? ", ..." : "")}.");
            var mean = Tensor.Zeros(_shapes[name]);
            double n = _counts[name];
            for (int i = 0; i < sum.Length; i++) mean.Span[i] = (float)(sum[i] / n);
            return mean;
        }
    }

    /// <summary>
    /// The means with a leading batch axis of one ([1, 1, ...] or, for attention, [1, ...]), the form a
    /// mean ablation's reference cache takes: averaging it over batch and positions gives the mean back.
    /// </summary>
    internal IReadOnlyDictionary<string, Tensor> AsReference()
        => _sums.Keys.ToDictionary(name => name, name =>
        {
            var mean = this[name];
            int leading = _averagedAxes[name];
            return mean.Reshape([.. Enumerable.Repeat(1, leading), .. mean.Shape.ToArray()]);
        }, StringComparer.Ordinal);

    readonly Dictionary<string, int> _averagedAxes = new(StringComparer.Ordinal);

    void Add(string name, HookKind kind, Tensor t)
    {
        // Axes averaged: batch and position, except for attention tensors, where position is a pattern axis.
        bool attention = kind is HookKind.AttentionPattern or HookKind.AttentionScores;
        int averaged = attention ? 1 : 2;
        int groups = t.Shape[..averaged].ToArray().Aggregate(1, (a, b) => a * b);
        var shape = t.Shape[averaged..].ToArray();
        int size = t.Length / groups;
        lock (_sums)
        {
            if (!_sums.TryGetValue(name, out var sum))
            {
                _sums[name] = sum = new double[size];
                _shapes[name] = shape;
                _counts[name] = 0;
                _averagedAxes[name] = averaged;
            }
            else if (!_shapes[name].SequenceEqual(shape))
                throw new ArgumentException($"'{name}' had shape {Tensor.Format(_shapes[name])} per example, now {Tensor.Format(shape)}; attention means need one sequence length.");
            var span = t.Span;
            for (int g = 0; g < groups; g++)
                for (int i = 0; i < size; i++) sum[i] += span[g * size + i];
            _counts[name] += groups;
        }
    }
}

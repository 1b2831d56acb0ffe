using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>
/// Editing hooks that ablate heads, neurons, positions or whole layers. The axis comes from the hook
/// catalog: the head axis for q/k/v/z/result/pattern/scores, the neuron axis for MLP points, the
/// position axis (the query axis for attention tensors) for positions. Use the bindings as run-scoped
/// hooks (<c>ForwardOptions.Hooks</c>, <c>RunWithHooks</c>) or in a scope (<c>model.Hooks(...)</c>).
/// </summary>
public static class Ablation
{
    /// <summary>Ablates <paramref name="heads"/> at <paramref name="hookName"/> (default <c>blocks.L.attn.hook_z</c>), optionally only at some positions.</summary>
    public static HookBinding Heads(string hookName, IReadOnlyList<int> heads, AblationMode mode = AblationMode.Zero,
        ActivationMeans? means = null, ActivationCache? source = null, IReadOnlyList<int>? positions = null)
        => new(hookName, Edit(hookName, Axis.Head, heads, positions, mode, means, source));

    public static HookBinding Heads(int layer, IReadOnlyList<int> heads, AblationMode mode = AblationMode.Zero,
        ActivationMeans? means = null, ActivationCache? source = null, IReadOnlyList<int>? positions = null)
        => Heads($"blocks.{layer}.attn.hook_z", heads, mode, means, source, positions);

    /// <summary>Ablates <paramref name="neurons"/> at <c>blocks.L.mlp.hook_post</c> (or another MLP point).</summary>
    public static HookBinding Neurons(int layer, IReadOnlyList<int> neurons, AblationMode mode = AblationMode.Zero,
        ActivationMeans? means = null, ActivationCache? source = null, IReadOnlyList<int>? positions = null, string point = "mlp.hook_post")
    {
        string name = $"blocks.{layer}.{point}";
        return new(name, Edit(name, Axis.Neuron, neurons, positions, mode, means, source));
    }

    /// <summary>Ablates the whole activation at <paramref name="positions"/> of <paramref name="hookName"/>.</summary>
    public static HookBinding Positions(string hookName, IReadOnlyList<int> positions, AblationMode mode = AblationMode.Zero,
        ActivationMeans? means = null, ActivationCache? source = null)
        => new(hookName, Edit(hookName, Axis.None, null, positions, mode, means, source));

    /// <summary>
    /// Skips block <paramref name="layer"/>: its output equals its input (the block acts as the identity):
    /// resid_post is overwritten with the run's resid_pre.
    /// </summary>
    public static HookBinding[] SkipLayer(int layer)
        => Controllers.CrossLayer($"blocks.{layer}.hook_resid_pre", $"blocks.{layer}.hook_resid_post", (output, input, _) => output.CopyFrom(input));

    enum Axis { None, Head, Neuron }

    static HookFunction Edit(string name, Axis axis, IReadOnlyList<int>? indices, IReadOnlyList<int>? positions, AblationMode mode,
        ActivationMeans? means, ActivationCache? source)
    {
        if (mode == AblationMode.Mean && means is null) throw new ArgumentException($"Mean ablation of {name} needs ActivationMeans over a reference dataset.");
        if (mode == AblationMode.Resample && source is null) throw new ArgumentException($"Resample ablation of {name} needs a source cache holding {name}.");
        Tensor? mean = null;
        return (t, context) =>
        {
            var spec = context.Point.Spec;
            int axisIndex = axis switch
            {
                Axis.Head => spec.HeadAxis,
                Axis.Neuron => spec.NeuronAxis,
                _ => -2,
            };
            if (axisIndex == -1)
                throw new InvalidOperationException($"{name} has no {(axis == Axis.Head ? "head" : "neuron")} axis (its axes are [{string.Join(", ", spec.Axes)}]).");
            if (mode == AblationMode.Mean) mean ??= means![name];
            Tensor? from = mode == AblationMode.Resample ? source![name] : null;
            Apply(t, spec, axisIndex, indices, positions, mode, mean, from, name);
            return null;
        };
    }

    /// <summary>Replaces the selected slices of <paramref name="t"/>, walking [outer..., position, ..., unit] index by index.</summary>
    static void Apply(Tensor t, HookPointSpec spec, int axisIndex, IReadOnlyList<int>? indices, IReadOnlyList<int>? positions,
        AblationMode mode, Tensor? mean, Tensor? from, string name)
    {
        var shape = t.Shape.ToArray();
        int positionAxis = spec.PositionAxis;
        var selectedPositions = positions is null ? null : new HashSet<int>(positions.Select(p => p < 0 ? p + shape[positionAxis] : p));
        var selected = indices is null ? null : new HashSet<int>(indices);
        if (selected is not null && axisIndex >= 0)
            foreach (int i in selected)
                if ((uint)i >= (uint)shape[axisIndex]) throw new ArgumentOutOfRangeException(nameof(indices), $"Index {i} is outside the {spec.Axes[axisIndex]} axis of {name} (size {shape[axisIndex]}).");
        if (from is not null && (from.Rank != t.Rank || !from.Shape[1..].SequenceEqual(t.Shape[1..]) || (from.Dim(0) != t.Dim(0) && from.Dim(0) != 1)))
            throw new ArgumentException($"The source's {name} has shape {Tensor.Format(from.Shape)}; the run's is {Tensor.Format(t.Shape)}.");

        // Units: the trailing block after the deepest selected axis is copied or cleared at once.
        int deepest = Math.Max(axisIndex, positionAxis);
        int unit = 1;
        for (int a = deepest + 1; a < shape.Length; a++) unit *= shape[a];
        int units = t.Length / unit;
        var index = new int[deepest + 1];
        var span = t.Span;
        for (int u = 0; u < units; u++)
        {
            int rest = u;
            for (int a = deepest; a >= 0; a--) { index[a] = rest % shape[a]; rest /= shape[a]; }
            if (selectedPositions is not null && !selectedPositions.Contains(index[positionAxis])) continue;
            if (selected is not null && axisIndex >= 0 && !selected.Contains(index[axisIndex])) continue;
            var target = span.Slice(u * unit, unit);
            switch (mode)
            {
                case AblationMode.Zero:
                    target.Clear();
                    break;
                case AblationMode.Resample:
                    int sourceUnit = from!.Dim(0) == 1 ? u % (units / shape[0]) : u;
                    from.Span.Slice(sourceUnit * unit, unit).CopyTo(target);
                    break;
                case AblationMode.Mean:
                    MeanSlice(mean!, spec, index, unit, name).CopyTo(target);
                    break;
            }
        }
    }

    /// <summary>The slice of a mean (batch and position averaged away) that replaces one unit.</summary>
    static ReadOnlySpan<float> MeanSlice(Tensor mean, HookPointSpec spec, int[] index, int unit, string name)
    {
        // Means keep the axes after batch (attention) or after batch and position (everything else).
        int first = spec.Kind is HookKind.AttentionPattern or HookKind.AttentionScores ? 1 : 2;
        int offset = 0;
        for (int a = first; a < index.Length; a++) offset = offset * mean.Dim(a - first) + index[a];
        if ((offset + 1) * unit > mean.Length)
            throw new ArgumentException($"The mean of {name} has shape {Tensor.Format(mean.Shape)}, too small for this run.");
        return mean.Span.Slice(offset * unit, unit);
    }
}

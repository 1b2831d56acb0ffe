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

    /// <summary>
    /// The edit as the hook DSL's <see cref="HookEdit"/> does it (the same code serves <c>[Ablate]</c>):
    /// the catalog gives the axis of heads, neurons and positions of <paramref name="name"/>.
    /// </summary>
    static HookFunction Edit(string name, Axis axis, IReadOnlyList<int>? indices, IReadOnlyList<int>? positions, AblationMode mode,
        ActivationMeans? means, ActivationCache? source)
    {
        if (mode == AblationMode.Mean && means is null) throw new ArgumentException($"Mean ablation of {name} needs ActivationMeans over a reference dataset.");
        if (mode == AblationMode.Resample && source is null) throw new ArgumentException($"Resample ablation of {name} needs a source cache holding {name}.");
        if (!HookNames.TryParse(name, out var spec, out _))
            throw new ArgumentException($"'{name}' is not a hook point of the catalog; ablations need its axes.");
        var selections = new List<AxisSelection>();
        if (axis != Axis.None)
        {
            int axisIndex = axis == Axis.Head ? spec.HeadAxis : spec.NeuronAxis;
            if (axisIndex < 0)
                throw new ArgumentException($"{name} has no {(axis == Axis.Head ? "head" : "neuron")} axis (its axes are [{string.Join(", ", spec.Axes)}]).");
            selections.Add(new AxisSelection(axis == Axis.Head ? AxisRole.Head : AxisRole.Neuron, axisIndex, [.. indices!]));
        }
        if (positions is not null) selections.Add(new AxisSelection(AxisRole.Position, spec.PositionAxis, [.. positions]));
        var (operation, reference) = mode switch
        {
            AblationMode.Zero => (HookEdit.Operation.Zero, (IReadOnlyDictionary<string, Tensor>?)null),
            AblationMode.Mean => (HookEdit.Operation.Mean, means!.AsReference()),
            _ => (HookEdit.Operation.Copy, source),
        };
        return new HookEdit($"{mode} ablation of {name}", operation, reference, [.. selections]).Apply;
    }
}

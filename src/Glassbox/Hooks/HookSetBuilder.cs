using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// Collects the hooks an <see cref="IHookSet"/> registers for one model. Generated code calls it with
/// catalog positions the generator resolved at compile time, so nothing is parsed here; layer
/// templates are expanded against the model, and anything the model lacks fails at once, naming the
/// handler, before any hook is attached.
/// </summary>
public sealed class HookSetBuilder
{
    readonly List<HookBinding> _bindings = [];

    internal HookSetBuilder(HookedTransformer model) => Model = model;

    public HookedTransformer Model { get; }

    public int LayerCount => Model.Config.NLayers;

    internal IReadOnlyList<HookBinding> Bindings => _bindings;

    /// <summary>
    /// Adds <paramref name="function"/> on catalog entry <paramref name="catalogIndex"/> at the layers
    /// <paramref name="layers"/> selects. <paramref name="name"/> is the name as written (for messages);
    /// <paramref name="source"/> names the handler (<c>Type.Method</c>).
    /// </summary>
    public void Add(int catalogIndex, string name, LayerSet layers, HookFunction function, string source)
    {
        ArgumentNullException.ThrowIfNull(function);
        foreach (var point in Resolve(catalogIndex, name, layers, source))
            _bindings.Add(new HookBinding(HookFilter.Exact(point.Name), function));
    }

    /// <summary>The model's points for catalog entry <paramref name="catalogIndex"/> at <paramref name="layers"/>, in layer order.</summary>
    public IReadOnlyList<HookPoint> Resolve(int catalogIndex, string name, LayerSet layers, string source)
    {
        var all = HookCatalog.All;
        if ((uint)catalogIndex >= (uint)all.Count || !name.EndsWith(all[catalogIndex].Name, StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"{source}: '{name}' does not match hook catalog entry {catalogIndex}; the generated code is out of date with this Glassbox runtime (rebuild).");
        var spec = all[catalogIndex];
        string what = $"{source} [\"{name}\"]";
        var config = Model.Config;
        if (!spec.IsAvailable(config.Features))
            throw new InvalidOperationException(
                $"{what}: {config.Family} models like '{config.ModelName}' have no {spec} (it needs {spec.Requires & ~config.Features}).");
        if (spec.InBlock == layers.IsModelWide)
            throw new InvalidOperationException($"{what}: {(spec.InBlock ? "a block point needs layers" : "a model-wide point takes no layer")}.");
        var points = new List<HookPoint>();
        foreach (int layer in layers.Resolve(config.NLayers, what))
            points.Add(Model.HookPoints[spec.FullName(layer)]);
        return points;
    }

    /// <summary>Ablates the selected entries of a point (zero, mean of <paramref name="reference"/>, or resampled from it).</summary>
    public void Ablate(int catalogIndex, string name, LayerSet layers, AblationMode mode, IReadOnlyDictionary<string, Tensor>? reference,
        string source, params AxisSelection[] selections)
    {
        var points = Resolve(catalogIndex, name, layers, source);
        string what = $"{source} [Ablate(\"{name}\")]";
        if (mode != AblationMode.Zero && reference is null)
            throw new InvalidOperationException(
                $"{what}: {mode} ablation reads a {(mode == AblationMode.Mean ? "mean" : "source")} cache; set {(mode == AblationMode.Mean ? "MeanCache" : "SourceCache")} before attaching.");
        CheckSelections(points, selections, what);
        var edit = new HookEdit(what, mode switch
        {
            AblationMode.Zero => HookEdit.Operation.Zero,
            AblationMode.Mean => HookEdit.Operation.Mean,
            _ => HookEdit.Operation.Copy,
        }, reference, selections);
        foreach (var point in points) _bindings.Add(new HookBinding(HookFilter.Exact(point.Name), edit.Apply));
    }

    /// <summary>Copies the selected entries of a point from <paramref name="sourceCache"/> (activation patching).</summary>
    public void Patch(int catalogIndex, string name, LayerSet layers, IReadOnlyDictionary<string, Tensor>? sourceCache, string source,
        params AxisSelection[] selections)
    {
        var points = Resolve(catalogIndex, name, layers, source);
        string what = $"{source} [Patch(\"{name}\")]";
        if (sourceCache is null)
            throw new InvalidOperationException($"{what}: patching reads a source cache; set SourceCache before attaching.");
        CheckSelections(points, selections, what);
        var edit = new HookEdit(what, HookEdit.Operation.Copy, sourceCache, selections);
        foreach (var point in points) _bindings.Add(new HookBinding(HookFilter.Exact(point.Name), edit.Apply));
    }

    /// <summary>Skips block <paramref name="layer"/> (negative counts from the end): its attention and MLP outputs become zero.</summary>
    public void SkipLayer(int layer, string source)
    {
        string what = $"{source} [SkipLayer({layer})]";
        int resolved = LayerSet.Of(layer).Resolve(LayerCount, what)[0];
        HookFunction zero = static (t, _) => { t.Clear(); return null; };
        foreach (var name in new[] { "hook_attn_out", "hook_mlp_out" })
        {
            var spec = HookCatalog.Find(name, inBlock: true)!;
            if (spec.IsAvailable(Model.Config.Features))
                _bindings.Add(new HookBinding(HookFilter.Exact(spec.FullName(resolved)), zero));
        }
    }

    /// <summary>Records a copy of every firing of the selected points into <paramref name="recording"/>.</summary>
    public void Record(RecordedActivations recording, int catalogIndex, string name, LayerSet layers, string source)
    {
        ArgumentNullException.ThrowIfNull(recording);
        var points = Resolve(catalogIndex, name, layers, source);
        recording.Reset(LayerCount, layers.IsModelWide);
        foreach (var point in points)
            _bindings.Add(new HookBinding(HookFilter.Exact(point.Name), recording.Store));
    }

    void CheckSelections(IReadOnlyList<HookPoint> points, AxisSelection[] selections, string what)
    {
        var config = Model.Config;
        foreach (var point in points)
            foreach (var selection in selections)
            {
                if (selection.Axis >= point.Spec.Axes.Length)
                    throw new InvalidOperationException($"{what}: {point.Name} has no axis {selection.Axis}.");
                int size = selection.Role switch
                {
                    AxisRole.Head => point.Spec.Heads == HeadCount.KeyValueHeads ? config.NKeyValueHeads : config.NHeads,
                    AxisRole.Neuron => config.DMlp,
                    _ => -1,
                };
                if (size < 0) continue;
                foreach (int i in selection.Indices)
                    if (i >= size || i < -size)
                        throw new InvalidOperationException(
                            $"{what}: {selection.Role.ToString().ToLowerInvariant()} {i} is out of range; {point.Name} has {size} {selection.Role.ToString().ToLowerInvariant()}s.");
            }
    }
}

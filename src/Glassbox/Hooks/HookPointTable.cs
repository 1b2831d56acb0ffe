using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Hooks;

/// <summary>
/// The hook points one model has, in firing order, with their names. Each catalog entry gets a
/// slot per layer (or one slot if model-wide) so the forward pass finds a point's hooks by index.
/// </summary>
public sealed class HookPointTable
{
    volatile HookPoint?[] _bySlot;
    readonly object _extensionGate = new();
    readonly Dictionary<string, HookPoint> _byName = new(StringComparer.Ordinal);
    readonly List<HookPoint> _ordered = [];
    readonly ModelConfig _config;

    internal HookPointTable(ModelConfig config)
    {
        _config = config;
        int catalogSize = HookCatalog.All.Count;
        _bySlot = new HookPoint?[(config.NLayers + 1) * catalogSize];
        var features = config.Features;

        void Add(HookPointSpec spec, int catalogIndex, int layer)
        {
            if (!spec.IsAvailable(features)) return;
            int slot = SlotOf(layer, catalogIndex);
            var point = new HookPoint(_ordered.Count, spec.FullName(layer), spec.InBlock ? layer : -1, spec, slot);
            _bySlot[slot] = point;
            _byName.Add(point.Name, point);
            _ordered.Add(point);
        }

        var all = HookCatalog.All;
        int firstBlock = IndexOfFirst(inBlock: true), afterBlocks = IndexOfFirst(inBlock: false, from: firstBlock);
        for (int i = 0; i < firstBlock; i++) Add(all[i], i, -1);
        for (int layer = 0; layer < config.NLayers; layer++)
            for (int i = firstBlock; i < afterBlocks; i++) Add(all[i], i, layer);
        for (int i = afterBlocks; i < all.Count; i++) Add(all[i], i, -1);
    }

    /// <summary>
    /// The hook points a model of <paramref name="config"/> has, without building the model (no
    /// weights): for planning a cache or listing a shape's hook points.
    /// </summary>
    public static HookPointTable For(ModelConfig config) => new(config.Validated());

    /// <summary>The (validated) config the table was built for.</summary>
    public ModelConfig Config => _config;

    /// <summary>Every hook point of the model in firing order.</summary>
    public IReadOnlyList<HookPoint> Points => _ordered;

    public IEnumerable<string> Names => _ordered.Select(p => p.Name);

    internal int SlotCount => _bySlot.Length;

    /// <summary>
    /// Adds a point that a module spliced onto <paramref name="parent"/> fires (e.g. an SAE's latents),
    /// named <c>{parent}.{suffix}</c> and listed right after its parent. Add and remove between runs.
    /// </summary>
    internal HookPoint AddExtension(HookPoint parent, string suffix, HookKind kind, int width, string description)
    {
        lock (_extensionGate)
        {
            string name = parent.Name + "." + suffix;
            if (_byName.ContainsKey(name)) throw new InvalidOperationException($"{name} already exists; remove the module spliced there first.");
            var slots = _bySlot;
            var spec = new HookPointSpec(name, inBlock: false, kind, suffix, description);
            var point = new HookPoint(0, name, parent.Layer, spec, slots.Length, parent, width);
            var grown = new HookPoint?[slots.Length + 1];
            slots.CopyTo(grown, 0);
            grown[^1] = point;
            int after = _ordered.IndexOf(parent) + 1;
            while (after < _ordered.Count && _ordered[after].Parent == parent) after++;
            _ordered.Insert(after, point);
            _byName.Add(name, point);
            Renumber();
            _bySlot = grown;
            return point;
        }
    }

    internal void RemoveExtension(HookPoint point)
    {
        lock (_extensionGate)
        {
            if (!_byName.Remove(point.Name)) return;
            _ordered.Remove(point);
            var slots = (HookPoint?[])_bySlot.Clone();
            slots[point.Slot] = null;
            Renumber();
            _bySlot = slots;
        }
    }

    void Renumber()
    {
        for (int i = 0; i < _ordered.Count; i++) _ordered[i].Id = i;
    }

    /// <summary>The slot of catalog entry <paramref name="catalogIndex"/> at <paramref name="layer"/> (-1 for model-wide).</summary>
    internal int SlotOf(int layer, int catalogIndex) => (layer < 0 ? _config.NLayers : layer) * HookCatalog.All.Count + catalogIndex;

    internal HookPoint? AtSlot(int slot) => _bySlot[slot];

    internal int SlotOf(HookPoint point) => point.Slot;

    /// <summary>The shape of a hook point's activation for a batch of <paramref name="batch"/> × <paramref name="pos"/> tokens.</summary>
    public int[] ShapeOf(HookPoint point, int batch, int pos)
    {
        var c = _config;
        int heads = point.Spec.Heads == HeadCount.KeyValueHeads ? c.NKeyValueHeads : c.NHeads;
        if (point.Width is int width) return point.Kind is HookKind.LayerNormScale ? [batch, pos, 1] : [batch, pos, width];
        return point.Kind switch
        {
            HookKind.Residual => [batch, pos, c.DModel],
            HookKind.LayerNormScale => [batch, pos, 1],
            HookKind.HeadVectors => [batch, pos, heads, c.DHead],
            HookKind.HeadResiduals => [batch, pos, heads, c.DModel],
            HookKind.AttentionScores or HookKind.AttentionPattern => [batch, heads, pos, pos],
            HookKind.Neurons => [batch, pos, c.DMlp],
            HookKind.Logits => [batch, pos, c.DVocab],
            _ => throw new ArgumentOutOfRangeException(nameof(point)),
        };
    }

    /// <summary>How many bytes a cache of the points <paramref name="names"/> selects would hold (float32).</summary>
    public long EstimateBytes(HookFilter names, int batch, int pos)
        => names.Select(this).Sum(p => (long)Tensor.ShapeLength(ShapeOf(p, batch, pos)) * sizeof(float));

    public bool Contains(string name) => _byName.ContainsKey(name);

    public HookPoint? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The point named <paramref name="name"/>, or an <see cref="UnknownHookException"/> naming the nearest points.</summary>
    public HookPoint this[string name] => _byName.TryGetValue(name, out var p) ? p : throw Unknown(name);

    internal UnknownHookException Unknown(string name)
    {
        string reason = $"'{_config.ModelName}' has no such hook point";
        if (HookNames.TryParse(name, out var spec, out int layer))
        {
            if (!spec.IsAvailable(_config.Features))
                reason = $"{_config.Family} models like '{_config.ModelName}' do not have {spec} (it needs {spec.Requires & ~_config.Features})";
            else if (spec.InBlock && (layer < 0 || layer >= _config.NLayers))
                reason = $"layer {layer} is out of range; the model has layers 0..{_config.NLayers - 1}";
        }
        return new UnknownHookException(name, reason, NameSuggestions.Nearest(name, Names));
    }

    static int IndexOfFirst(bool inBlock, int from = 0)
    {
        var all = HookCatalog.All;
        for (int i = from; i < all.Count; i++) if (all[i].InBlock == inBlock) return i;
        return all.Count;
    }
}

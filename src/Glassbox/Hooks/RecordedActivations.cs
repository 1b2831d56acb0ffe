using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// The recordings of one hook-point pattern in a generated cache (<see cref="CacheActivationsAttribute"/>):
/// a copy of the latest firing per layer. Buffers are reused from run to run when the shape stays
/// the same. A recording is overwritten by the next run; clone what must outlive it.
/// </summary>
public sealed class RecordedActivations(string name) : IDisposable
{
    Tensor?[] _slots = [];
    bool _modelWide;

    /// <summary>The hook name as written in the attribute.</summary>
    public string Name { get; } = name;

    /// <summary>Bytes held by the recorded tensors.</summary>
    public long SizeInBytes => _slots.Sum(t => t?.SizeInBytes ?? 0);

    /// <summary>Whether layer <paramref name="layer"/> (or the model-wide point, with -1) holds a recording.</summary>
    public bool Contains(int layer) => TrySlot(layer, out int slot) && _slots[slot] is not null;

    /// <summary>The recording at <paramref name="layer"/> (negative counts from the end; ignored for model-wide points).</summary>
    public Tensor Get(int layer)
    {
        if (!TrySlot(layer, out int slot))
            throw new ArgumentOutOfRangeException(nameof(layer), $"{Name}: layer {layer} is outside the model's {_slots.Length} layers.");
        return _slots[slot] ?? throw new InvalidOperationException(
            _slots.Length == 0
                ? $"{Name}: nothing recorded yet; attach the cache (or pass it to Run) and run the model first."
                : $"{Name}: nothing recorded{(_modelWide ? "" : $" at layer {layer}")}; the cache records only the layers its attribute names.");
    }

    /// <summary>Frees the recordings.</summary>
    public void Clear()
    {
        for (int i = 0; i < _slots.Length; i++) _slots[i] = null;
    }

    public void Dispose() => Clear();

    /// <summary>Bytes a recording of catalog entry <paramref name="catalogIndex"/> at <paramref name="layers"/> takes for <paramref name="batch"/> × <paramref name="positions"/> tokens.</summary>
    public static long EstimateBytes(HookedTransformer model, int catalogIndex, string name, LayerSet layers, int batch, int positions)
        => new HookSetBuilder(model).Resolve(catalogIndex, name, layers, name)
            .Sum(p => (long)Tensor.ShapeLength(model.HookShape(p, batch, positions)) * sizeof(float));

    internal void Reset(int layerCount, bool modelWide)
    {
        _modelWide = modelWide;
        int size = modelWide ? 1 : layerCount;
        if (_slots.Length != size) _slots = new Tensor?[size];
    }

    internal Tensor? Store(Tensor activation, HookContext context)
    {
        int slot = _modelWide ? 0 : context.Layer;
        var kept = _slots[slot];
        if (kept is not null && kept.SameShape(activation)) kept.CopyFrom(activation);
        else _slots[slot] = activation.Clone();
        return null;
    }

    bool TrySlot(int layer, out int slot)
    {
        slot = _modelWide ? 0 : layer < 0 ? layer + _slots.Length : layer;
        return _modelWide ? _slots.Length == 1 : (uint)slot < (uint)_slots.Length;
    }
}

using System.Collections;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Hooks;

/// <summary>
/// Activations recorded by <c>RunWithCache</c>: hook name → tensor, keys in firing order.
/// Index by full name, by TransformerLens short name (<c>cache["pattern", 0]</c>, <c>cache["q6"]</c>,
/// <c>cache[("resid_post", -1)]</c>). The cache owns its tensors; dispose it to return their memory
/// to the model's pool.
/// </summary>
public sealed class ActivationCache : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    readonly List<string> _keys = [];
    readonly Dictionary<string, Tensor> _values = new(StringComparer.Ordinal);

    internal ActivationCache(HookedTransformer model) => Model = model;

    public HookedTransformer Model { get; }

    /// <summary>Bytes held by the cached tensors.</summary>
    public long SizeInBytes => _values.Values.Sum(t => t.SizeInBytes);

    public int Count => _keys.Count;

    /// <summary>Hook names in the order the forward pass fired them.</summary>
    public IEnumerable<string> Keys => _keys;
    public IEnumerable<Tensor> Values => _keys.Select(k => _values[k]);

    public Tensor this[string name] => Get(ActName.Resolve(name, nLayers: Model.Config.NLayers), name);

    public Tensor this[string name, int layer] => Get(ActName.Resolve(name, layer, nLayers: Model.Config.NLayers), $"({name}, {layer})");

    public Tensor this[string name, int layer, string layerType] => Get(ActName.Resolve(name, layer, layerType, Model.Config.NLayers), $"({name}, {layer}, {layerType})");

    public Tensor this[(string Name, int Layer) key] => this[key.Name, key.Layer];

    public bool ContainsKey(string key) => _values.ContainsKey(key);

    public bool TryGetValue(string key, out Tensor value) => _values.TryGetValue(key, out value!);

    /// <summary>Records <paramref name="value"/> (taking ownership) under <paramref name="name"/>; a later firing replaces an earlier one.</summary>
    internal void Store(string name, Tensor value)
    {
        if (_values.TryGetValue(name, out var old))
        {
            old.Dispose();
            _values[name] = value;
            return;
        }
        _keys.Add(name);
        _values.Add(name, value);
    }

    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator()
        => _keys.Select(k => new KeyValuePair<string, Tensor>(k, _values[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        foreach (var t in _values.Values) t.Dispose();
        _values.Clear();
        _keys.Clear();
    }

    Tensor Get(string fullName, string asked)
    {
        if (_values.TryGetValue(fullName, out var t)) return t;
        string known = Model.HookPoints.Contains(fullName)
            ? $"'{fullName}' is a hook point of the model but was not cached (widen the names filter)"
            : $"'{asked}' resolves to '{fullName}', which is not a hook point of the model";
        var near = NameSuggestions.Nearest(fullName, _keys);
        throw new KeyNotFoundException(near.Count == 0 ? known + "." : $"{known}. Cached keys nearby: {string.Join(", ", near)}.");
    }
}

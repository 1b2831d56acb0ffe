using System.Text.Json;
using Glassbox.Hooks;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Export;

/// <summary>
/// Saves an <see cref="ActivationCache"/> to a file numpy and PyTorch read — <c>.safetensors</c> (with the
/// hook names in firing order in its metadata) or <c>.npz</c> — and loads it back for a model, so
/// analysis can resume later. Writes are atomic.
/// </summary>
public static class ActivationCacheFiles
{
    public static void Save(ActivationCache cache, string path, IntTensor? tokens = null)
    {
        var names = cache.Keys.ToList();
        if (Path.GetExtension(path).Equals(".npz", StringComparison.OrdinalIgnoreCase))
        {
            var arrays = names.Select(n => KeyValuePair.Create(n, NpyArray.Of(Shape(cache[n]), cache[n].ToArray()))).ToList();
            if (tokens is not null) arrays.Add(KeyValuePair.Create("tokens", NpyArray.Of(Shape(tokens.Shape), tokens.Span.ToArray().Select(t => (long)t).ToArray())));
            NpzWriter.Write(path, arrays);
            return;
        }
        var entries = names.Select(n => SafetensorsWriteEntry.Float32(n, Shape(cache[n]), cache[n].ToArray())).ToList();
        if (tokens is not null) entries.Add(SafetensorsWriteEntry.Int64("tokens", Shape(tokens.Shape), tokens.Span.ToArray().Select(t => (long)t).ToArray()));
        SafetensorsWriter.Write(path, entries, new Dictionary<string, string>
        {
            ["hook_names"] = JsonSerializer.Serialize(names),
            ["model_name"] = cache.Model.Config.ModelName,
        });
    }

    /// <summary>
    /// Loads a saved cache for <paramref name="model"/>: every tensor named like one of its hook points
    /// (others, such as <c>tokens</c> or <c>logits</c>, are skipped), in the saved firing order.
    /// </summary>
    public static ActivationCache Load(HookedTransformer model, string path)
    {
        var cache = new ActivationCache(model);
        if (Path.GetExtension(path).Equals(".npz", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (name, array) in NpyReader.ReadArchive(path))
                if (model.HookPoints.Contains(name) && array.Floats is { } values)
                    cache.Store(name, Tensor.FromArray(values, array.Shape.Select(d => (int)d).ToArray()));
            return cache;
        }
        using var file = SafetensorsFile.Open(path);
        var order = file.Metadata.TryGetValue("hook_names", out var json)
            ? JsonSerializer.Deserialize<string[]>(json) ?? []
            : file.Tensors.Select(t => t.Name).ToArray();
        foreach (var name in order.Where(n => file.Contains(n) && model.HookPoints.Contains(n)))
            cache.Store(name, Tensor.FromArray(file.ReadFloat32(name), file[name].Shape.Select(d => (int)d).ToArray()));
        return cache;
    }

    static long[] Shape(Tensor t) => Shape(t.Shape);
    static long[] Shape(ReadOnlySpan<int> shape) => shape.ToArray().Select(d => (long)d).ToArray();
}

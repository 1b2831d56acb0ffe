using System.Text.Json;

namespace Glassbox.Loading;

/// <summary>
/// A sharded checkpoint's index (<c>model.safetensors.index.json</c>): its <c>weight_map</c> from
/// tensor name to shard file, in file order. Shard names are resolved inside the index's folder.
/// </summary>
internal sealed class SafetensorsIndex
{
    private SafetensorsIndex(string path, List<(string Tensor, string Shard)> weightMap)
    {
        Path = path;
        WeightMap = weightMap;
    }

    public string Path { get; }

    /// <summary>(tensor name, full shard path) pairs in index order.</summary>
    public IReadOnlyList<(string Tensor, string Shard)> WeightMap { get; }

    public static SafetensorsIndex Read(string indexPath)
    {
        string folder = System.IO.Path.GetDirectoryName(indexPath)!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException(indexPath, null, $"the index is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException(indexPath, null, $"the index is a JSON {SafetensorsHeader.Kind(root)}, expected an object with a 'weight_map'");

            JsonElement? weightMap = null;
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Name != "weight_map") continue;
                if (weightMap is not null)
                    throw new SafetensorsFormatException(indexPath, null, "the index has 'weight_map' twice");
                weightMap = property.Value;
            }
            if (weightMap is not { ValueKind: JsonValueKind.Object } map)
            {
                throw new SafetensorsFormatException(indexPath, null, weightMap is null
                    ? "the index has no 'weight_map'"
                    : $"'weight_map' is a JSON {SafetensorsHeader.Kind(weightMap.Value)}, expected an object from tensor name to shard file");
            }

            var entries = new List<(string, string)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty entry in map.EnumerateObject())
            {
                if (!seen.Add(entry.Name))
                    throw new SafetensorsFormatException(indexPath, entry.Name, "'weight_map' lists this tensor twice");
                if (entry.Value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(entry.Value.GetString()))
                    throw new SafetensorsFormatException(indexPath, entry.Name, $"'weight_map' gives {entry.Value.GetRawText()} as its shard, expected a file name");
                entries.Add((entry.Name, ResolveShard(indexPath, folder, entry.Name, entry.Value.GetString()!)));
            }
            return new SafetensorsIndex(indexPath, entries);
        }
    }

    /// <summary>Shards live beside the index; a name that escapes the folder is refused, not followed.</summary>
    private static string ResolveShard(string indexPath, string folder, string tensor, string shard)
    {
        string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, shard));
        string folderWithSeparator = System.IO.Path.TrimEndingDirectorySeparator(folder) + System.IO.Path.DirectorySeparatorChar;
        if (System.IO.Path.IsPathRooted(shard) || !full.StartsWith(folderWithSeparator, StringComparison.Ordinal))
            throw new SafetensorsFormatException(indexPath, tensor, $"shard '{shard}' is not a file inside the index's folder '{folder}'");
        return full;
    }
}

namespace Glassbox.Loading;

/// <summary>
/// A model's weights as one name space over one or more safetensors files: a folder's
/// <c>model.safetensors</c>, or its sharded <c>model.safetensors.index.json</c> and the shards it
/// lists, or any single <c>.safetensors</c> file (or <c>*.index.json</c>) given by path. Every file
/// is opened and validated once, on <see cref="Open"/>.
/// </summary>
public sealed class SafetensorsCheckpoint : IDisposable
{
    public const string SingleFileName = "model.safetensors";
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly List<SafetensorsFile> _files;
    private readonly Dictionary<string, SafetensorsFile> _fileOf;
    private readonly IReadOnlyCollection<string> _names;

    private SafetensorsCheckpoint(string path, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> fileOf, List<string> names)
    {
        Path = path;
        _files = files;
        _fileOf = fileOf;
        _names = names.AsReadOnly();
    }

    /// <summary>The file that was opened: the single .safetensors file or the index .json.</summary>
    public string Path { get; }

    /// <summary>Every tensor name: file-offset order for one file, index order for a sharded checkpoint.</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>The opened safetensors files (one, or the shards in first-use order).</summary>
    public IReadOnlyList<SafetensorsFile> Files => _files;

    public static SafetensorsCheckpoint Open(string fileOrFolder)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileOrFolder);
        string full = System.IO.Path.GetFullPath(fileOrFolder);
        if (Directory.Exists(full))
        {
            // Same preference as Hugging Face transformers: the single file first, then the index.
            string single = System.IO.Path.Combine(full, SingleFileName);
            string index = System.IO.Path.Combine(full, IndexFileName);
            if (File.Exists(single)) return OpenSingle(single);
            if (File.Exists(index)) return OpenSharded(index);
            string[] found = Directory.GetFiles(full, "*.safetensors*").Select(System.IO.Path.GetFileName).ToArray()!;
            throw new FileNotFoundException(
                $"Folder '{full}' has neither {SingleFileName} nor {IndexFileName}." +
                (found.Length > 0 ? $" It has {string.Join(", ", found.Select(f => $"'{f}'"))}; pass one of those by path." : ""),
                single);
        }
        if (File.Exists(full))
        {
            return full.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? OpenSharded(full) : OpenSingle(full);
        }
        throw new FileNotFoundException($"No safetensors file or model folder at '{full}'.", full);
    }

    public bool Contains(string name) => _fileOf.ContainsKey(name);

    public SafetensorsTensorInfo Info(string name) => FileFor(name)[name];

    public float[] ReadFloat32(string name) => FileFor(name).ReadFloat32(name);

    public void ReadFloat32(string name, Span<float> destination) => FileFor(name).ReadFloat32(name, destination);

    public long[] ReadInt64(string name) => FileFor(name).ReadInt64(name);

    /// <summary>Full path of the file that holds <paramref name="name"/>.</summary>
    public string FileOf(string name) => FileFor(name).Path;

    public void Dispose()
    {
        foreach (SafetensorsFile file in _files) file.Dispose();
    }

    public override string ToString() => $"{Path} ({_names.Count} tensors in {_files.Count} file(s))";

    private SafetensorsFile FileFor(string name) =>
        _fileOf.TryGetValue(name, out SafetensorsFile? file)
            ? file
            : throw new KeyNotFoundException($"Tensor '{name}' is not in checkpoint '{Path}'. {CloseNames.Describe(name, _names)}");

    private static SafetensorsCheckpoint OpenSingle(string path)
    {
        SafetensorsFile file = SafetensorsFile.Open(path);
        var names = file.Tensors.Select(t => t.Name).ToList();
        return new SafetensorsCheckpoint(file.Path, [file], names.ToDictionary(n => n, _ => file, StringComparer.Ordinal), names);
    }

    private static SafetensorsCheckpoint OpenSharded(string indexPath)
    {
        SafetensorsIndex index = SafetensorsIndex.Read(indexPath);
        var files = new List<SafetensorsFile>();
        try
        {
            var shards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            var fileOf = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
            foreach ((string tensor, string shardPath) in index.WeightMap)
            {
                if (!shards.TryGetValue(shardPath, out SafetensorsFile? shard))
                {
                    if (!File.Exists(shardPath))
                    {
                        int count = index.WeightMap.Count(e => e.Shard == shardPath);
                        throw new SafetensorsFormatException(indexPath, tensor, $"shard '{System.IO.Path.GetFileName(shardPath)}' (listed for {count} tensor(s)) does not exist at '{shardPath}'");
                    }
                    shard = SafetensorsFile.Open(shardPath);
                    files.Add(shard);
                    shards.Add(shardPath, shard);
                }
                if (!shard.Contains(tensor))
                {
                    string[] shardNames = shard.Tensors.Select(t => t.Name).ToArray();
                    throw new SafetensorsFormatException(indexPath, tensor, $"the index puts this tensor in shard '{shard.Path}', which does not hold it. {CloseNames.Describe(tensor, shardNames)}");
                }
                fileOf.Add(tensor, shard);
            }
            return new SafetensorsCheckpoint(index.Path, files, fileOf, index.WeightMap.Select(e => e.Tensor).ToList());
        }
        catch
        {
            foreach (SafetensorsFile file in files) file.Dispose();
            throw;
        }
    }
}

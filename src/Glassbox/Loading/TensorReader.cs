namespace Glassbox.Loading;

/// <summary>Reads named checkpoint tensors as float32, checking each shape against what the config implies.</summary>
internal sealed class TensorReader(SafetensorsCheckpoint checkpoint, string prefix)
{
    /// <summary>Reads <c>{prefix}{name}</c>.</summary>
    public float[] Read(string name, params long[] shape) => ReadExact(prefix + name, shape);

    /// <summary>The checkpoint name of <paramref name="name"/> (with the prefix).</summary>
    public string FullName(string name) => prefix + name;

    public float[] ReadExact(string fullName, params long[] shape)
    {
        if (!checkpoint.Contains(fullName))
            throw new InvalidDataException($"The checkpoint lacks tensor \"{fullName}\" (expected shape [{string.Join(", ", shape)}]).");
        var info = checkpoint.Info(fullName);
        if (!info.Shape.SequenceEqual(shape))
            throw new InvalidDataException(
                $"{checkpoint.FileOf(fullName)}: tensor \"{fullName}\" has shape [{string.Join(", ", info.Shape)}]; the config implies [{string.Join(", ", shape)}].");
        return checkpoint.ReadFloat32(fullName);
    }
}

using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace Glassbox.Loading;

/// <summary>
/// One .safetensors file, memory-mapped read-only. The header is parsed and fully validated on
/// <see cref="Open"/>; tensor data is converted straight from the mapping into the caller's buffer,
/// so a large file is never copied into managed memory first. Reads are thread-safe; disposing while
/// a read runs is safe too (the mapping stays alive until that read finishes).
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly long _dataSectionOffset;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;
    private readonly string[] _names;
    private volatile bool _disposed;

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long dataSectionOffset, SafetensorsHeader header)
    {
        Path = path;
        _map = map;
        _view = view;
        _dataSectionOffset = dataSectionOffset;
        Metadata = header.Metadata.AsReadOnly();
        Tensors = header.Tensors.AsReadOnly();
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _names = header.Tensors.Select(t => t.Name).ToArray();
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>The header's <c>__metadata__</c> (string to string); empty if absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>All tensors, in file-offset order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>Absolute file offset where the data section starts (8 + header length).</summary>
    public long DataSectionOffset => _dataSectionOffset;

    /// <summary>Maps and validates <paramref name="path"/>; throws <see cref="SafetensorsFormatException"/> if malformed.</summary>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        LittleEndianHost.Require();
        string fullPath = System.IO.Path.GetFullPath(path);

        var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            long length = stream.Length;
            // Checked before mapping: an empty file cannot be mapped at all.
            if (length < 8)
                throw new SafetensorsFormatException(fullPath, null, $"the file is {length} bytes, shorter than the 8-byte header length that starts every safetensors file");

            map = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);

            SafetensorsHeader header;
            long dataSectionOffset;
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            try
            {
                p += view.PointerOffset;
                ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(p, 8));
                if (headerLength == 0)
                    throw new SafetensorsFormatException(fullPath, null, "the header length is 0; a safetensors header is at least '{}'");
                if (headerLength > SafetensorsHeader.MaxHeaderLength)
                    throw new SafetensorsFormatException(fullPath, null, $"the header length is {headerLength} bytes, more than the {SafetensorsHeader.MaxHeaderLength}-byte limit (corrupt file, or not safetensors)");
                if (headerLength > (ulong)(length - 8))
                    throw new SafetensorsFormatException(fullPath, null, $"the header length is {headerLength} bytes, past the end of the {length}-byte file");

                dataSectionOffset = 8 + (long)headerLength;
                header = SafetensorsHeader.Parse(fullPath, new ReadOnlySpan<byte>(p + 8, (int)headerLength), length - dataSectionOffset);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
            return new SafetensorsFile(fullPath, map, view, dataSectionOffset, header);
        }
        catch
        {
            view?.Dispose();
            if (map is not null) map.Dispose();
            else stream.Dispose();
            throw;
        }
    }

    /// <summary>True if the file holds a tensor of that exact name.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>; unknown names throw <see cref="KeyNotFoundException"/> with close names.</summary>
    public SafetensorsTensorInfo this[string name] =>
        _byName.TryGetValue(name, out SafetensorsTensorInfo? info)
            ? info
            : throw new KeyNotFoundException($"Tensor '{name}' is not in safetensors file '{Path}'. {CloseNames.Describe(name, _names)}");

    /// <summary>Reads a floating-point tensor (F32, F16, BF16 or F64) as float32.</summary>
    public float[] ReadFloat32(string name)
    {
        SafetensorsTensorInfo info = RequireFloat(name);
        var values = new float[ArrayLength(info)];
        ReadFloat32(info, values);
        return values;
    }

    /// <summary>Reads a floating-point tensor into <paramref name="destination"/>, whose length must equal the element count.</summary>
    public void ReadFloat32(string name, Span<float> destination)
    {
        SafetensorsTensorInfo info = RequireFloat(name);
        if (destination.Length != info.ElementCount)
            throw new ArgumentException($"Tensor '{name}' in '{Path}' has {info.ElementCount} elements (shape [{string.Join(", ", info.Shape)}]); the destination holds {destination.Length}.", nameof(destination));
        ReadFloat32(info, destination);
    }

    /// <summary>Reads an integer tensor (I64, I32, I16, I8, U8; BOOL as 0/1) as int64.</summary>
    public long[] ReadInt64(string name)
    {
        SafetensorsTensorInfo info = this[name];
        if (!info.DType.IsInteger())
            throw new SafetensorsFormatException(Path, name, $"dtype {info.DType} is not an integer type; ReadInt64 reads I64, I32, I16, I8, U8 and BOOL (use ReadFloat32 for floating-point tensors)");
        var values = new long[ArrayLength(info)];
        byte* p = AcquireData(info);
        try
        {
            TensorDataConversion.ToInt64(info.DType, p, values);
        }
        finally
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
        return values;
    }

    public void Dispose()
    {
        _disposed = true;
        _view.Dispose();
        _map.Dispose();
    }

    public override string ToString() => $"{Path} ({Tensors.Count} tensors)";

    private void ReadFloat32(SafetensorsTensorInfo info, Span<float> destination)
    {
        byte* p = AcquireData(info);
        try
        {
            TensorDataConversion.ToFloat32(info.DType, p, destination);
        }
        finally
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private SafetensorsTensorInfo RequireFloat(string name)
    {
        SafetensorsTensorInfo info = this[name];
        if (!info.DType.IsFloatingPoint())
            throw new SafetensorsFormatException(Path, name, $"dtype {info.DType} is not a floating-point type; ReadFloat32 reads F32, F16, BF16 and F64 (use ReadInt64 for integer tensors)");
        return info;
    }

    private int ArrayLength(SafetensorsTensorInfo info) =>
        info.ElementCount <= Array.MaxLength
            ? (int)info.ElementCount
            : throw new SafetensorsFormatException(Path, info.Name, $"{info.ElementCount} elements do not fit in one .NET array (at most {Array.MaxLength})");

    /// <summary>
    /// Pointer to the tensor's first byte. The handle's reference count keeps the mapping alive until
    /// the caller's matching ReleasePointer, even if Dispose runs meanwhile.
    /// </summary>
    private byte* AcquireData(SafetensorsTensorInfo info)
    {
        byte* p = null;
        if (!_disposed)
        {
            try
            {
                _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            }
            catch (ObjectDisposedException)
            {
                p = null; // lost a race with Dispose
            }
        }
        if (p is null)
            throw new ObjectDisposedException(Path, $"Safetensors file '{Path}' was disposed; tensor '{info.Name}' cannot be read.");
        return p + _view.PointerOffset + _dataSectionOffset + info.DataStart;
    }
}

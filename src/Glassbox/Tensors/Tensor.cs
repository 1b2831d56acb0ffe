using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Text;

namespace Glassbox.Tensors;

/// <summary>
/// A float32 tensor: row-major, contiguous, shape as <c>int[]</c>. Indexing the leading axis
/// (<c>t[i]</c>, <see cref="Slice"/>) and <see cref="Reshape"/> give views that share the buffer;
/// <see cref="Clone()"/> is the only copy. A tensor rented from a pool returns its buffer on
/// <see cref="Dispose"/>; activations handed to hooks belong to the forward pass and are valid only
/// while the hook runs — clone what you keep.
/// </summary>
public sealed class Tensor : IDisposable
{
    readonly float[] _buffer;
    readonly int _offset;
    readonly int[] _shape;
    TensorPool? _pool;

    Tensor(float[] buffer, int offset, int[] shape, TensorPool? pool)
    {
        _buffer = buffer;
        _offset = offset;
        _shape = shape;
        Length = ShapeLength(shape);
        if (offset < 0 || offset + Length > buffer.Length)
            throw new ArgumentException($"Shape {Format(shape)} needs {Length} values; the buffer has {buffer.Length - offset}.");
        _pool = pool;
    }

    /// <summary>A new tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[ShapeLength(shape)], 0, (int[])shape.Clone(), null);

    /// <summary>Wraps <paramref name="data"/> without copying.</summary>
    public static Tensor FromArray(float[] data, params int[] shape) => new(data, 0, (int[])shape.Clone(), null);

    /// <summary>Copies <paramref name="values"/> into a new tensor.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> values, params int[] shape)
    {
        var t = Zeros(shape);
        if (values.Length != t.Length)
            throw new ArgumentException($"Shape {Format(shape)} needs {t.Length} values; got {values.Length}.");
        values.CopyTo(t.Span);
        return t;
    }

    internal static Tensor Pooled(float[] buffer, int[] shape, TensorPool pool) => new(buffer, 0, shape, pool);

    public ReadOnlySpan<int> Shape => _shape;
    public int Rank => _shape.Length;
    public int Length { get; }
    public long SizeInBytes => (long)Length * sizeof(float);

    /// <summary>Size of <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[axis < 0 ? axis + _shape.Length : axis];

    public Span<float> Span => _buffer.AsSpan(_offset, Length);
    public Memory<float> Memory => _buffer.AsMemory(_offset, Length);
    internal float[] Buffer => _buffer;
    internal int Offset => _offset;

    /// <summary>A view of entry <paramref name="index"/> of the leading axis (negative counts from the end).</summary>
    public Tensor this[int index]
    {
        get
        {
            if (Rank == 0) throw new InvalidOperationException("A scalar tensor has no axis to index.");
            int n = _shape[0];
            int i = index < 0 ? index + n : index;
            if ((uint)i >= (uint)n) throw new IndexOutOfRangeException($"Index {index} is outside axis 0 of size {n}.");
            int stride = Length / Math.Max(n, 1);
            return new Tensor(_buffer, _offset + i * stride, _shape[1..], null);
        }
    }

    public float this[int i, int j]
    {
        get => _buffer[ElementOffset(i, j)];
        set => _buffer[ElementOffset(i, j)] = value;
    }

    public float this[int i, int j, int k]
    {
        get => _buffer[ElementOffset(i, j, k)];
        set => _buffer[ElementOffset(i, j, k)] = value;
    }

    public float this[int i, int j, int k, int l]
    {
        get => _buffer[ElementOffset(i, j, k, l)];
        set => _buffer[ElementOffset(i, j, k, l)] = value;
    }

    /// <summary>A view of <paramref name="count"/> entries of the leading axis from <paramref name="start"/>.</summary>
    public Tensor Slice(int start, int count)
    {
        if (Rank == 0 || start < 0 || count < 0 || start + count > _shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + count}) is outside axis 0 of {Format(_shape)}.");
        int stride = Length / Math.Max(_shape[0], 1);
        var shape = (int[])_shape.Clone();
        shape[0] = count;
        return new Tensor(_buffer, _offset + start * stride, shape, null);
    }

    /// <summary>A view with another shape of the same length; one axis may be -1.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var resolved = (int[])shape.Clone();
        int unknown = Array.IndexOf(resolved, -1);
        if (unknown >= 0)
        {
            int known = 1;
            for (int a = 0; a < resolved.Length; a++) if (a != unknown) known *= resolved[a];
            resolved[unknown] = known == 0 ? 0 : Length / known;
        }
        if (ShapeLength(resolved) != Length)
            throw new ArgumentException($"Cannot reshape {Format(_shape)} ({Length} values) to {Format(shape)}.");
        return new Tensor(_buffer, _offset, resolved, null);
    }

    /// <summary>A copy in a new buffer that nothing else shares.</summary>
    public Tensor Clone() => FromSpan(Span, _shape);

    internal Tensor Clone(TensorPool pool)
    {
        var copy = pool.Rent(_shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>Copies <paramref name="source"/> into this tensor; shapes must match.</summary>
    public void CopyFrom(Tensor source)
    {
        if (!SameShape(source)) throw new ArgumentException($"Shape {Format(source._shape)} does not match {Format(_shape)}.");
        source.Span.CopyTo(Span);
    }

    public bool SameShape(Tensor other) => _shape.AsSpan().SequenceEqual(other._shape);

    public float[] ToArray() => Span.ToArray();
    public void Fill(float value) => Span.Fill(value);
    public void Clear() => Span.Clear();

    /// <summary>Largest absolute element-wise difference; both must have the same shape.</summary>
    public float MaxAbsDifference(Tensor other)
    {
        if (!SameShape(other)) throw new ArgumentException($"Shape {Format(other._shape)} does not match {Format(_shape)}.");
        float max = 0;
        var a = Span; var b = other.Span;
        for (int i = 0; i < a.Length; i++)
        {
            float d = a[i] == b[i] ? 0 : MathF.Abs(a[i] - b[i]);
            if (float.IsNaN(d) || d > max) max = float.IsNaN(d) ? float.PositiveInfinity : d;
        }
        return max;
    }

    /// <summary>Returns a pooled buffer to its pool; a no-op for views and plain tensors.</summary>
    public void Dispose()
    {
        var pool = Interlocked.Exchange(ref _pool, null);
        pool?.Return(_buffer);
    }

    public override string ToString()
    {
        var sb = new StringBuilder("Tensor").Append(Format(_shape));
        if (Length <= 8)
        {
            sb.Append(" {");
            var s = Span;
            for (int i = 0; i < s.Length; i++) sb.Append(i == 0 ? "" : ", ").Append(s[i].ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
            sb.Append('}');
        }
        return sb.ToString();
    }

    internal static int ShapeLength(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Negative dimension in shape {Format(shape)}.");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"Shape {Format(shape)} is too large for one buffer.");
        }
        return (int)n;
    }

    public static string Format(ReadOnlySpan<int> shape)
    {
        var sb = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++) sb.Append(i == 0 ? "" : ", ").Append(shape[i]);
        return sb.Append(']').ToString();
    }

    int ElementOffset(params ReadOnlySpan<int> index)
    {
        if (index.Length != _shape.Length)
            throw new ArgumentException($"{index.Length} indices for a tensor of rank {_shape.Length}.");
        int offset = 0;
        for (int a = 0; a < index.Length; a++)
        {
            int i = index[a] < 0 ? index[a] + _shape[a] : index[a];
            if ((uint)i >= (uint)_shape[a]) throw new IndexOutOfRangeException($"Index {index[a]} is outside axis {a} of {Format(_shape)}.");
            offset = offset * _shape[a] + i;
        }
        return _offset + offset;
    }
}

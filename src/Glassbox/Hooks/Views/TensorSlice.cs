using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// One index of one axis of a tensor (head 3 of <c>[batch, pos, head, d_head]</c>, neuron 42 of
/// <c>[batch, pos, d_mlp]</c>): a strided view made of <see cref="RunCount"/> contiguous runs of
/// <see cref="RunLength"/> values. Writable; see <see cref="ReadOnlyTensorSlice"/> for the read-only kind.
/// Valid only while the tensor it views is.
/// </summary>
public readonly struct TensorSlice
{
    readonly Tensor _tensor;
    readonly int _axis;
    readonly int _index;

    public TensorSlice(Tensor tensor, int axis, int index)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if ((uint)axis >= (uint)tensor.Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"Axis {axis} is outside a tensor of rank {tensor.Rank}.");
        int n = tensor.Dim(axis);
        int i = index < 0 ? index + n : index;
        if ((uint)i >= (uint)n)
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is outside axis {axis} of {Tensor.Format(tensor.Shape)}.");
        _tensor = tensor;
        _axis = axis;
        _index = i;
    }

    /// <summary>The axis this slice fixes and the index it fixes it at.</summary>
    public int Axis => _axis;
    public int Index => _index;

    /// <summary>How many contiguous runs make up the slice (the product of the axes before <see cref="Axis"/>).</summary>
    public int RunCount => SliceLayout.Outer(_tensor, _axis);

    /// <summary>Values per run (the product of the axes after <see cref="Axis"/>).</summary>
    public int RunLength => SliceLayout.Inner(_tensor, _axis);

    /// <summary>Values in the slice.</summary>
    public int Length => RunCount * RunLength;

    /// <summary>The <paramref name="run"/>-th contiguous run.</summary>
    public Span<float> Run(int run) => _tensor.Span.Slice(SliceLayout.RunStart(_tensor, _axis, _index, run), RunLength);

    public void Clear() => Fill(0f);

    public void Fill(float value)
    {
        for (int r = 0, n = RunCount; r < n; r++) Run(r).Fill(value);
    }

    public void Scale(float factor)
    {
        for (int r = 0, n = RunCount; r < n; r++) System.Numerics.Tensors.TensorPrimitives.Multiply(Run(r), factor, Run(r));
    }

    /// <summary>Copies a slice of the same layout into this one.</summary>
    public void CopyFrom(ReadOnlyTensorSlice source)
    {
        if (source.RunCount != RunCount || source.RunLength != RunLength)
            throw new ArgumentException($"A slice of {source.RunCount}×{source.RunLength} values cannot be copied into one of {RunCount}×{RunLength}.");
        for (int r = 0, n = RunCount; r < n; r++) source.Run(r).CopyTo(Run(r));
    }

    public float Sum() => ((ReadOnlyTensorSlice)this).Sum();

    public float[] ToArray() => ((ReadOnlyTensorSlice)this).ToArray();

    public static implicit operator ReadOnlyTensorSlice(TensorSlice slice) => new(slice._tensor, slice._axis, slice._index);
}

/// <summary>A read-only <see cref="TensorSlice"/>: one index of one axis of a tensor.</summary>
public readonly struct ReadOnlyTensorSlice
{
    readonly Tensor _tensor;
    readonly int _axis;
    readonly int _index;

    internal ReadOnlyTensorSlice(Tensor tensor, int axis, int index)
    {
        var checkedSlice = new TensorSlice(tensor, axis, index);
        _tensor = tensor;
        _axis = axis;
        _index = checkedSlice.Index;
    }

    public int Axis => _axis;
    public int Index => _index;
    public int RunCount => SliceLayout.Outer(_tensor, _axis);
    public int RunLength => SliceLayout.Inner(_tensor, _axis);
    public int Length => RunCount * RunLength;

    public ReadOnlySpan<float> Run(int run) => _tensor.Span.Slice(SliceLayout.RunStart(_tensor, _axis, _index, run), RunLength);

    public float Sum()
    {
        float sum = 0;
        for (int r = 0, n = RunCount; r < n; r++) sum += System.Numerics.Tensors.TensorPrimitives.Sum(Run(r));
        return sum;
    }

    public float[] ToArray()
    {
        var values = new float[Length];
        for (int r = 0, n = RunCount, len = RunLength; r < n; r++) Run(r).CopyTo(values.AsSpan(r * len, len));
        return values;
    }
}

static class SliceLayout
{
    /// <summary>The run along the last axis at the leading indices given (rank − 1 of them).</summary>
    public static Span<float> Last(Tensor t, params ReadOnlySpan<int> leading)
    {
        if (leading.Length != t.Rank - 1)
            throw new ArgumentException($"{leading.Length} indices for the leading axes of a tensor of rank {t.Rank}.");
        int offset = 0;
        for (int a = 0; a < leading.Length; a++)
        {
            int n = t.Dim(a);
            int i = leading[a] < 0 ? leading[a] + n : leading[a];
            if ((uint)i >= (uint)n) throw new IndexOutOfRangeException($"Index {leading[a]} is outside axis {a} of {Tensor.Format(t.Shape)}.");
            offset = offset * n + i;
        }
        int last = t.Dim(-1);
        return t.Span.Slice(offset * last, last);
    }

    public static int Outer(Tensor t, int axis)
    {
        int n = 1;
        for (int a = 0; a < axis; a++) n *= t.Dim(a);
        return n;
    }

    public static int Inner(Tensor t, int axis)
    {
        int n = 1;
        for (int a = axis + 1; a < t.Rank; a++) n *= t.Dim(a);
        return n;
    }

    public static int RunStart(Tensor t, int axis, int index, int run)
    {
        int outer = Outer(t, axis);
        if ((uint)run >= (uint)outer) throw new ArgumentOutOfRangeException(nameof(run), $"Run {run} is outside 0..{outer - 1}.");
        int inner = Inner(t, axis);
        return (run * t.Dim(axis) + index) * inner;
    }
}

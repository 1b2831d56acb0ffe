namespace Glassbox.Tensors;

/// <summary>An int32 tensor, used for token ids and attention masks (shape [batch, pos]).</summary>
public sealed class IntTensor
{
    readonly int[] _data;
    readonly int[] _shape;

    public IntTensor(int[] data, params int[] shape)
    {
        if (Tensor.ShapeLength(shape) != data.Length)
            throw new ArgumentException($"Shape {Tensor.Format(shape)} needs {Tensor.ShapeLength(shape)} values; got {data.Length}.");
        _data = data;
        _shape = (int[])shape.Clone();
    }

    /// <summary>One sequence as a batch of one: shape [1, n].</summary>
    public static IntTensor FromSequence(params int[] tokens) => new((int[])tokens.Clone(), 1, tokens.Length);

    /// <summary>Equal-length sequences as [batch, pos].</summary>
    public static IntTensor FromRows(IReadOnlyList<int[]> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("No sequences given.");
        int n = rows[0].Length;
        var data = new int[rows.Count * n];
        for (int b = 0; b < rows.Count; b++)
        {
            if (rows[b].Length != n)
                throw new ArgumentException($"Sequence {b} has {rows[b].Length} tokens, sequence 0 has {n}; pad them (TokenBatch.Pad) and pass an attention mask.");
            rows[b].CopyTo(data, b * n);
        }
        return new IntTensor(data, rows.Count, n);
    }

    public ReadOnlySpan<int> Shape => _shape;
    public int Rank => _shape.Length;
    public int Length => _data.Length;
    public int Dim(int axis) => _shape[axis < 0 ? axis + _shape.Length : axis];
    public ReadOnlySpan<int> Span => _data;

    public int this[int b, int p] => _data[b * _shape[1] + p];

    /// <summary>Row <paramref name="b"/> of a [batch, pos] tensor.</summary>
    public ReadOnlySpan<int> Row(int b) => _data.AsSpan(b * _shape[1], _shape[1]);

    public int[] ToArray() => (int[])_data.Clone();

    public override string ToString() => $"IntTensor{Tensor.Format(_shape)}";
}

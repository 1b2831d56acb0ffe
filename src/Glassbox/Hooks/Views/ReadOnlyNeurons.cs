// Typed hook views: one mutable and one read-only struct per hook kind (DESIGN §3).
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A read-only view of MLP neurons <c>[batch, pos, d_mlp]</c> (mlp.hook_pre, hook_pre_linear, hook_post). An observer's parameter: it has no way to write.
/// Shape [batch, pos, d_mlp]; valid only during the hook call (clone what you keep).
/// </summary>
public readonly struct ReadOnlyNeurons
{
    readonly Tensor _tensor;

    /// <summary>Views <paramref name="tensor"/>, which must have rank 3 ([batch, pos, d_mlp]).</summary>
    public ReadOnlyNeurons(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 3)
            throw new ArgumentException($"A ReadOnlyNeurons needs a tensor of shape [batch, pos, d_mlp]; got {Tensor.Format(tensor.Shape)}.", nameof(tensor));
        _tensor = tensor;
    }

    public int Batch => _tensor.Dim(0);
    public int Positions => _tensor.Dim(1);
    public int DMlp => _tensor.Dim(2);
    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Length => _tensor.Length;

    /// <summary>Every value, row-major ([batch, pos, d_mlp]).</summary>
    public ReadOnlySpan<float> Span => _tensor.Span;

    public float this[int i, int j, int k] => _tensor[i, j, k];

    /// <summary>Every neuron at position <paramref name="position"/>.</summary>
    public ReadOnlyTensorSlice Position(int position) => new(_tensor, 1, position);

    /// <summary>Neuron <paramref name="neuron"/> at every batch entry and position.</summary>
    public ReadOnlyTensorSlice Neuron(int neuron) => new(_tensor, 2, neuron);

    /// <summary>The d_mlp activations at one batch entry and position.</summary>
    public ReadOnlySpan<float> Vector(int batch, int position) => SliceLayout.Last(_tensor, batch, position);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public static implicit operator ReadOnlyTensor(ReadOnlyNeurons view) => new(view._tensor);

    /// <summary>The same values as an untyped read-only tensor view.</summary>
    public ReadOnlyTensor AsReadOnlyTensor() => new(_tensor);

    public override string ToString() => _tensor is null ? "ReadOnlyNeurons(default)" : "ReadOnlyNeurons" + Tensor.Format(_tensor.Shape);
}

// Typed hook views: one mutable and one read-only struct per hook kind (DESIGN §3).
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// A read-only view of the residual stream and other <c>[batch, pos, d_model]</c> points (hook_embed, hook_resid_pre/mid/post, hook_attn_out, hook_mlp_out, ln*.hook_normalized, unembed.hook_in). An observer's parameter: it has no way to write.
/// Shape [batch, pos, d_model]; valid only during the hook call (clone what you keep).
/// </summary>
public readonly struct ReadOnlyResidual
{
    readonly Tensor _tensor;

    /// <summary>Views <paramref name="tensor"/>, which must have rank 3 ([batch, pos, d_model]).</summary>
    public ReadOnlyResidual(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Rank != 3)
            throw new ArgumentException($"A ReadOnlyResidual needs a tensor of shape [batch, pos, d_model]; got {Tensor.Format(tensor.Shape)}.", nameof(tensor));
        _tensor = tensor;
    }

    public int Batch => _tensor.Dim(0);
    public int Positions => _tensor.Dim(1);
    public int DModel => _tensor.Dim(2);
    public ReadOnlySpan<int> Shape => _tensor.Shape;
    public int Length => _tensor.Length;

    /// <summary>Every value, row-major ([batch, pos, d_model]).</summary>
    public ReadOnlySpan<float> Span => _tensor.Span;

    public float this[int i, int j, int k] => _tensor[i, j, k];

    /// <summary>Every value at position <paramref name="position"/>.</summary>
    public ReadOnlyTensorSlice Position(int position) => new(_tensor, 1, position);

    /// <summary>The d_model vector at one batch entry and position.</summary>
    public ReadOnlySpan<float> Vector(int batch, int position) => SliceLayout.Last(_tensor, batch, position);

    /// <summary>A copy that the caller owns and may keep after the hook returns.</summary>
    public Tensor Clone() => _tensor.Clone();

    public float[] ToArray() => _tensor.ToArray();

    public static implicit operator ReadOnlyTensor(ReadOnlyResidual view) => new(view._tensor);

    /// <summary>The same values as an untyped read-only tensor view.</summary>
    public ReadOnlyTensor AsReadOnlyTensor() => new(_tensor);

    public override string ToString() => _tensor is null ? "ReadOnlyResidual(default)" : "ReadOnlyResidual" + Tensor.Format(_tensor.Shape);
}

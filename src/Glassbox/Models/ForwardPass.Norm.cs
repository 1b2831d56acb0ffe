using Glassbox.Tensors;

namespace Glassbox.Models;

internal sealed partial class ForwardPass
{
    /// <summary>
    /// A norm over the last axis with TransformerLens's two hook points: the scale
    /// (<c>hook_scale</c>, shape [..., 1]) and the normalised vector before weight and bias
    /// (<c>hook_normalized</c>). Works for [batch, pos, d] and per-head [batch, pos, head, d] inputs.
    /// </summary>
    Tensor Norm(int layer, int scaleIndex, int normalizedIndex, float[]? weight, float[]? bias, Tensor x)
    {
        if (_cfg.Normalization == NormalizationType.None) return x;
        int d = x.Dim(-1), rows = x.Length / d;
        bool center = _cfg.NormCenters;

        var scaleShape = x.Shape.ToArray();
        scaleShape[^1] = 1;
        var scale = _arena.Rent(scaleShape);
        for (int r = 0; r < rows; r++) scale.Span[r] = Normalization.Scale(x.Span.Slice(r * d, d), center, _cfg.Eps);
        scale = Fire(layer, scaleIndex, scale);

        var normalized = _arena.Rent(x.Shape);
        for (int r = 0; r < rows; r++)
            Normalization.Normalize(x.Span.Slice(r * d, d), scale.Span[r], center, normalized.Span.Slice(r * d, d));
        normalized = Fire(layer, normalizedIndex, normalized);
        if (weight is null && bias is null) return normalized;

        var y = _arena.Rent(x.Shape);
        for (int r = 0; r < rows; r++)
            Normalization.Affine(normalized.Span.Slice(r * d, d), weight, bias, y.Span.Slice(r * d, d));
        return y;
    }
}

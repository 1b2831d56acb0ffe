using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Tensors;

/// <summary>
/// The two halves of a TransformerLens norm, split so hooks can sit between them:
/// the scale (<c>hook_scale</c>) and the normalised vector before weight and bias (<c>hook_normalized</c>).
/// </summary>
public static class Normalization
{
    /// <summary>
    /// scale = sqrt(mean(x_c²) + eps) with x_c = x − mean(x) when <paramref name="center"/> (LayerNorm)
    /// or x itself (RMSNorm). The mean of squares is accumulated in double so large widths stay exact.
    /// </summary>
    public static float Scale(ReadOnlySpan<float> x, bool center, float eps)
    {
        double mean = center ? Sum(x) / x.Length : 0;
        double ss = 0;
        foreach (float v in x)
        {
            double c = v - (float)mean;
            ss += c * c;
        }
        return (float)Math.Sqrt(ss / x.Length + eps);
    }

    /// <summary>normalized = (x − mean) / scale (or x / scale without centring).</summary>
    public static void Normalize(ReadOnlySpan<float> x, float scale, bool center, Span<float> normalized)
    {
        if (center)
        {
            float mean = (float)(Sum(x) / x.Length);
            TensorPrimitives.Subtract(x, mean, normalized);
            TensorPrimitives.Divide(normalized, scale, normalized);
        }
        else
        {
            TensorPrimitives.Divide(x, scale, normalized);
        }
    }

    /// <summary>y = normalized * weight + bias, either of which may be empty (absent).</summary>
    public static void Affine(ReadOnlySpan<float> normalized, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, Span<float> y)
    {
        if (weight.IsEmpty) normalized.CopyTo(y);
        else TensorPrimitives.Multiply(normalized, weight, y);
        if (!bias.IsEmpty) TensorPrimitives.Add(y, bias, y);
    }

    static double Sum(ReadOnlySpan<float> x)
    {
        double s = 0;
        foreach (float v in x) s += v;
        return s;
    }
}

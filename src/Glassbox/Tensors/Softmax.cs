using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Tensors;

/// <summary>Row softmax that tolerates -inf (masked) entries.</summary>
public static class Softmax
{
    /// <summary>
    /// destination = softmax(source). Entries equal to -inf become exactly 0; a row that is entirely
    /// -inf (a query that may attend to nothing, e.g. a left-padding position) becomes all zeros, as
    /// TransformerLens turns the NaNs of such rows into 0.
    /// </summary>
    public static void Row(ReadOnlySpan<float> source, Span<float> destination)
    {
        float max = TensorPrimitives.Max(source);
        if (float.IsNegativeInfinity(max))
        {
            destination.Clear();
            return;
        }
        TensorPrimitives.Subtract(source, max, destination);
        TensorPrimitives.Exp(destination, destination);
        float sum = TensorPrimitives.Sum(destination);
        TensorPrimitives.Divide(destination, sum, destination);
    }

    /// <summary>destination = log_softmax(source), computed stably.</summary>
    public static void LogRow(ReadOnlySpan<float> source, Span<float> destination)
    {
        float max = TensorPrimitives.Max(source);
        TensorPrimitives.Subtract(source, max, destination);
        float logSum = LogSumExpShifted(destination);
        TensorPrimitives.Subtract(destination, logSum, destination);
    }

    /// <summary>log(sum(exp(x))) for a row already shifted by its max (so the sum is in [1, n]).</summary>
    static float LogSumExpShifted(ReadOnlySpan<float> shifted)
    {
        double sum = 0;
        foreach (float v in shifted) sum += Math.Exp(v);
        return (float)Math.Log(sum);
    }
}

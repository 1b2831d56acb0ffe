using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Tensors;

/// <summary>MLP activation functions, in place or source → destination.</summary>
public static class Activations
{
    const float SqrtTwoOverPi = 0.7978845608028654f;

    /// <summary>GPT-2's tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).</summary>
    public static void GeluNew(ReadOnlySpan<float> x, Span<float> y, Span<float> scratch)
    {
        // scratch = √(2/π)·(x + 0.044715·x³), built from whole-span primitives.
        TensorPrimitives.Multiply(x, x, scratch);
        TensorPrimitives.Multiply(scratch, 0.044715f, scratch);
        TensorPrimitives.Add(scratch, 1f, scratch);
        TensorPrimitives.Multiply(scratch, x, scratch);
        TensorPrimitives.Multiply(scratch, SqrtTwoOverPi, scratch);
        TensorPrimitives.Tanh(scratch, scratch);
        TensorPrimitives.Add(scratch, 1f, scratch);
        TensorPrimitives.Multiply(scratch, 0.5f, scratch);
        TensorPrimitives.Multiply(x, scratch, y);
    }

    /// <summary>Exact GELU: x·Φ(x) = 0.5·x·(1 + erf(x/√2)).</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1 + Erf.Evaluate(v * 0.70710678118654752)));
        }
    }

    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <summary>SiLU: x·sigmoid(x).</summary>
    public static void Silu(ReadOnlySpan<float> x, Span<float> y, Span<float> scratch)
    {
        TensorPrimitives.Sigmoid(x, scratch);
        TensorPrimitives.Multiply(x, scratch, y);
    }
}

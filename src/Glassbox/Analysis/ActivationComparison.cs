using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Analysis;

/// <summary>How one hook point differs between two runs.</summary>
public readonly record struct ActivationDifference(string Name, double Cosine, double L2, double MaxAbs);

/// <summary>
/// Compares two inputs' activations point by point (layer by layer): cosine similarity, L2 distance,
/// largest difference. Entries that are the same infinity in both (masked scores) are left out.
/// </summary>
public static class ActivationComparison
{
    public static IReadOnlyList<ActivationDifference> Compare(HookedTransformer model, IntTensor first, IntTensor second, HookFilter? names = null)
    {
        if (!first.Shape.SequenceEqual(second.Shape))
            throw new ArgumentException($"Compare inputs of one shape: {Tensor.Format(first.Shape)} and {Tensor.Format(second.Shape)}.");
        var (_, a) = model.RunWithCache(first, names);
        var (_, b) = model.RunWithCache(second, names);
        using (a) using (b)
            return a.Keys.Select(name =>
            {
                // Masked attention scores are -inf in both runs: compare only where a value is finite.
                var x = a[name].ToArray();
                var y = b[name].ToArray();
                for (int i = 0; i < x.Length; i++)
                    if (float.IsInfinity(x[i]) && x[i] == y[i]) x[i] = y[i] = 0;
                double dot = TensorPrimitives.Dot(x, y), nx = TensorPrimitives.Norm(x), ny = TensorPrimitives.Norm(y);
                var diff = new float[x.Length];
                TensorPrimitives.Subtract(x, y, diff);
                return new ActivationDifference(name, nx * ny == 0 ? (nx == ny ? 1 : 0) : dot / (nx * ny),
                    TensorPrimitives.Norm(diff), diff.Length == 0 ? 0 : Math.Abs(TensorPrimitives.MaxMagnitude(diff)));
            }).ToList();
    }
}

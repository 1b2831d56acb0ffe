using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>
/// Labelled components of the residual stream, stacked: <see cref="Components"/> is
/// [component, batch, pos, d_model], or [component, batch, d_model] when taken at one position.
/// </summary>
public sealed class ResidualStack
{
    public ResidualStack(Tensor components, IReadOnlyList<string> labels)
    {
        if (components.Dim(0) != labels.Count)
            throw new ArgumentException($"{labels.Count} labels for {components.Dim(0)} components.");
        Components = components;
        Labels = labels;
    }

    public Tensor Components { get; }
    public IReadOnlyList<string> Labels { get; }
    public int Count => Labels.Count;

    /// <summary>The component labelled <paramref name="label"/> (e.g. "L1H3", "embed", "0_mlp_out").</summary>
    public Tensor this[string label]
    {
        get
        {
            int i = Labels.ToList().IndexOf(label);
            if (i < 0) throw new KeyNotFoundException($"No component '{label}'; the stack has {string.Join(", ", Labels.Take(12))}{(Labels.Count > 12 ? ", ..." : "")}.");
            return Components[i];
        }
    }

    /// <summary>The sum over components: what they add up to in the residual stream.</summary>
    public Tensor Sum()
    {
        var shape = Components.Shape[1..].ToArray();
        var sum = Tensor.Zeros(shape);
        for (int c = 0; c < Count; c++) System.Numerics.Tensors.TensorPrimitives.Add(sum.Span, Components[c].Span, sum.Span);
        return sum;
    }
}

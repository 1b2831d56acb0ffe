using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox;

/// <summary>
/// One ablation or patch: an operation on the entries of an activation that the axis selections
/// pick (their intersection), applied in place. Stateless between firings, so run-scoped use from
/// concurrent runs is safe. Positions are sequence positions: during generation, non-negative
/// positions are shifted by the length already in the KV cache and those outside the pass are left
/// alone (outside generation they are an error); negative ones count from the end of the pass; and
/// a source cache covering the whole sequence is read at the pass's positions.
/// </summary>
internal sealed class HookEdit(string what, HookEdit.Operation operation, IReadOnlyDictionary<string, Tensor>? reference, AxisSelection[] selections)
{
    public enum Operation { Zero, Mean, Copy }

    public Tensor? Apply(Tensor activation, HookContext context)
    {
        int rank = activation.Rank;
        var chosen = new int[]?[rank];
        int deepest = -1;
        int past = context.PastLength;
        foreach (var s in selections)
        {
            int n = activation.Dim(s.Axis);
            var resolved = new List<int>(s.Indices.Count);
            foreach (int wanted in s.Indices)
            {
                int index = wanted < 0 ? wanted + n : wanted;
                if (s.Role == AxisRole.Position && context.Step >= 0 && wanted >= 0)
                {
                    index = wanted - past;
                    if ((uint)index >= (uint)n) continue;      // generating: a position this pass does not compute
                }
                if ((uint)index >= (uint)n)
                    throw new InvalidOperationException(
                        $"{what}: {s.Role.ToString().ToLowerInvariant()} {wanted} is outside axis {s.Axis} of {context.Name} {Tensor.Format(activation.Shape)}.");
                resolved.Add(index);
            }
            chosen[s.Axis] = chosen[s.Axis] is { } earlier ? earlier.Intersect(resolved).ToArray() : resolved.ToArray();
            deepest = Math.Max(deepest, s.Axis);
        }
        foreach (var c in chosen)
            if (c is { Length: 0 }) return null;                // nothing selected in this pass

        float[]? pattern = null;
        Tensor? copyFrom = null;
        if (operation != Operation.Zero)
        {
            if (!reference!.TryGetValue(context.Name, out var source))
                throw new InvalidOperationException($"{what}: the {(operation == Operation.Mean ? "mean" : "source")} cache has no activation for {context.Name}; cache that point.");
            if (operation == Operation.Mean) pattern = MeanOver(source, activation, context);
            else copyFrom = CheckSource(AtPassPositions(source, activation, context), activation, context.Name);
        }

        int inner = 1;
        for (int a = deepest + 1; a < rank; a++) inner *= activation.Dim(a);
        Walk(activation, chosen, deepest, 0, 0, inner, pattern, copyFrom);
        return null;
    }

    void Walk(Tensor t, int[]?[] chosen, int deepest, int axis, int offset, int inner, float[]? pattern, Tensor? copyFrom)
    {
        if (axis > deepest)
        {
            int start = offset * inner;
            var target = t.Span.Slice(start, inner);
            if (operation == Operation.Zero) target.Clear();
            else Fill(target, start, pattern, copyFrom);
            return;
        }
        int n = t.Dim(axis);
        if (chosen[axis] is { } indices)
            foreach (int i in indices) Walk(t, chosen, deepest, axis + 1, offset * n + i, inner, pattern, copyFrom);
        else
            for (int i = 0; i < n; i++) Walk(t, chosen, deepest, axis + 1, offset * n + i, inner, pattern, copyFrom);
    }

    static void Fill(Span<float> target, int start, float[]? pattern, Tensor? copyFrom)
    {
        if (copyFrom is not null)
        {
            var src = copyFrom.Span;
            if (src.Length >= start + target.Length)
            {
                src.Slice(start, target.Length).CopyTo(target);
                return;
            }
            for (int j = 0; j < target.Length; j++) target[j] = src[(start + j) % src.Length];
            return;
        }
        for (int j = 0; j < target.Length; j++) target[j] = pattern![(start + j) % pattern.Length];
    }

    /// <summary>
    /// During generation, the slice of a whole-sequence source at this pass's positions (for
    /// [batch, pos, ...] points); otherwise the source as it is.
    /// </summary>
    static Tensor AtPassPositions(Tensor source, Tensor activation, HookContext context)
    {
        int past = context.PastLength;
        if (context.Step < 0 || context.Point.Spec.PositionAxis != 1 || source.Rank != activation.Rank || source.Rank < 2) return source;
        int n = activation.Dim(1);
        if (source.Dim(1) < past + n || source.Dim(1) == n) return source;
        var shape = source.Shape.ToArray();
        shape[1] = n;
        var slice = Tensor.Zeros(shape);
        for (int b = 0; b < source.Dim(0); b++)
            source[b].Slice(past, n).Span.CopyTo(slice[b].Span);
        return slice;
    }

    /// <summary>The source itself, or its single batch entry broadcast over the run's batch.</summary>
    Tensor CheckSource(Tensor source, Tensor activation, string name)
    {
        if (source.SameShape(activation)) return source;
        if (source.Rank == activation.Rank && source.Dim(0) == 1 && source.Shape[1..].SequenceEqual(activation.Shape[1..])) return source;
        throw new InvalidOperationException(
            $"{what}: the source cache's {name} has shape {Tensor.Format(source.Shape)}; the run's has {Tensor.Format(activation.Shape)} (same shape, or a batch of one, needed).");
    }

    /// <summary>
    /// The mean over the reference's batch, per position when its positions match the run's, or
    /// also over positions (broadcast) for [batch, pos, ...] points when they do not.
    /// </summary>
    float[] MeanOver(Tensor reference, Tensor activation, HookContext context)
    {
        string name = context.Name;
        int batch = reference.Dim(0);
        if (reference.Rank == activation.Rank && batch > 0)
        {
            if (reference.Shape[1..].SequenceEqual(activation.Shape[1..])) return Mean(reference.Span, batch);
            if (reference.Rank >= 3 && context.Point.Spec.PositionAxis == 1 && reference.Shape[2..].SequenceEqual(activation.Shape[2..]))
                return Mean(reference.Span, batch * reference.Dim(1));
        }
        throw new InvalidOperationException(
            $"{what}: the mean cache's {name} has shape {Tensor.Format(reference.Shape)}, which does not fit the run's {Tensor.Format(activation.Shape)}.");
    }

    static float[] Mean(ReadOnlySpan<float> values, int groups)
    {
        int period = values.Length / groups;
        var mean = new float[period];
        for (int g = 0; g < groups; g++)
            System.Numerics.Tensors.TensorPrimitives.Add(mean, values.Slice(g * period, period), mean);
        System.Numerics.Tensors.TensorPrimitives.Multiply(mean, 1f / groups, mean);
        return mean;
    }
}

using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Analysis;

/// <summary>
/// Residual-stream interventions from the Hugging Face steering tutorial: add a steering vector,
/// project a direction out everywhere, scale chosen positions, and build a steering vector as the
/// difference of mean activations between two prompt sets. Positions are sequence positions, so
/// the same hooks work during generation (a pass that continues a KV cache knows its offset).
/// </summary>
public static class Steering
{
    /// <summary>Adds <paramref name="scale"/>·<paramref name="vector"/> to <paramref name="hookName"/> at <paramref name="positions"/> (all when null).</summary>
    public static HookBinding Add(string hookName, ReadOnlyMemory<float> vector, float scale = 1f, IReadOnlyList<int>? positions = null)
    {
        var scaled = vector.ToArray();
        TensorPrimitives.Multiply(scaled, scale, scaled);
        return new(hookName, Hook.Of((t, context) => ForEachRow(t, context, positions, row =>
        {
            if (row.Length != scaled.Length)
                throw new InvalidOperationException($"The steering vector has {scaled.Length} values; {context.Name} rows have {row.Length}.");
            TensorPrimitives.Add(row, scaled, row);
        })));
    }

    /// <summary>The same vector added at several layers' <paramref name="point"/>.</summary>
    public static HookBinding[] AddAtLayers(IEnumerable<int> layers, ReadOnlyMemory<float> vector, float scale = 1f,
        IReadOnlyList<int>? positions = null, string point = "hook_resid_pre")
        => layers.Select(l => Add($"blocks.{l}.{point}", vector, scale, positions)).ToArray();

    /// <summary>
    /// Removes the component along <paramref name="direction"/> (x ← x − (x·d̂)d̂) from every residual
    /// stream point of <paramref name="model"/> — embeddings, resid_pre/mid/post, attn_out and mlp_out
    /// of every layer — so no layer can write or read it (directional ablation).
    /// </summary>
    public static HookBinding[] AblateDirection(HookedTransformer model, ReadOnlyMemory<float> direction)
    {
        var unit = direction.ToArray();
        float norm = TensorPrimitives.Norm(unit);
        if (norm == 0 || float.IsNaN(norm)) throw new ArgumentException("The direction must be a non-zero vector.");
        if (unit.Length != model.Config.DModel) throw new ArgumentException($"The direction has {unit.Length} values; d_model is {model.Config.DModel}.");
        TensorPrimitives.Divide(unit, norm, unit);
        var hook = Hook.Of(t => ForEachRow(t, null, null, row => TensorPrimitives.MultiplyAdd(unit, -TensorPrimitives.Dot(row, unit), row, row)));
        var residualPoints = model.HookPoints.Points
            .Where(p => p.Kind == HookKind.Residual && !p.Spec.Gated && !p.Name.Contains(".ln") && !p.Name.StartsWith("ln_final", StringComparison.Ordinal) && !p.Name.StartsWith("unembed", StringComparison.Ordinal))
            .Select(p => p.Name).ToArray();
        return [new HookBinding(HookFilter.AnyOf(residualPoints), hook)];
    }

    /// <summary>Multiplies the activation at <paramref name="positions"/> of <paramref name="hookName"/> by <paramref name="factor"/>.</summary>
    public static HookBinding ScalePositions(string hookName, IReadOnlyList<int> positions, float factor)
        => new(hookName, Hook.Of((t, context) => ForEachRow(t, context, positions, row => TensorPrimitives.Multiply(row, factor, row))));

    /// <summary>
    /// mean(activations of <paramref name="positive"/>) − mean(activations of <paramref name="negative"/>) at
    /// <paramref name="hookName"/>, each prompt taken at <paramref name="position"/> (default: its last token).
    /// </summary>
    public static float[] MeanDifference(HookedTransformer model, IReadOnlyList<int[]> positive, IReadOnlyList<int[]> negative, string hookName, int position = -1)
        => Subtract(MeanAt(model, positive, hookName, position), MeanAt(model, negative, hookName, position));

    static float[] MeanAt(HookedTransformer model, IReadOnlyList<int[]> prompts, string hookName, int position)
    {
        if (prompts.Count == 0) throw new ArgumentException("A prompt set is empty.");
        double[]? sum = null;
        foreach (var prompt in prompts)
        {
            var (_, cache) = model.RunWithCache(IntTensor.FromSequence(prompt), hookName);
            using (cache)
            {
                var act = cache[hookName];
                var row = act[0][position < 0 ? position + act.Dim(1) : position].Span;
                sum ??= new double[row.Length];
                for (int i = 0; i < row.Length; i++) sum[i] += row[i];
            }
        }
        return sum!.Select(s => (float)(s / prompts.Count)).ToArray();
    }

    static float[] Subtract(float[] a, float[] b)
    {
        TensorPrimitives.Subtract(a, b, a);
        return a;
    }

    /// <summary>
    /// Calls <paramref name="edit"/> on each [batch, pos, d] row whose sequence position (the pass's
    /// offset in a KV cache plus its index) is in <paramref name="positions"/>, or on every row.
    /// </summary>
    static void ForEachRow(Tensor t, HookContext? context, IReadOnlyList<int>? positions, SpanAction edit)
    {
        if (t.Rank != 3) throw new InvalidOperationException($"{context?.Name ?? "This point"} is not a [batch, pos, d] residual point.");
        int batch = t.Dim(0), seq = t.Dim(1), d = t.Dim(2), offset = context?.PastLength ?? 0;
        for (int b = 0; b < batch; b++)
            for (int p = 0; p < seq; p++)
            {
                if (positions is not null && !positions.Contains(offset + p)) continue;
                edit(t.Span.Slice((b * seq + p) * d, d));
            }
    }

    delegate void SpanAction(Span<float> row);
}

using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>
/// Hooks that compose (mi-crow's controllers): run only under a condition, only on some sequences of
/// the batch or some tokens, element by element, as a pipeline of steps, or across layers — reading
/// another point's value from the same run.
/// </summary>
public static class Controllers
{
    /// <summary>Runs <paramref name="hook"/> only when <paramref name="condition"/> holds for this firing.</summary>
    public static HookFunction When(Func<Tensor, HookContext, bool> condition, HookFunction hook)
        => (t, c) => condition(t, c) ? hook(t, c) : null;

    /// <summary>Runs <paramref name="hook"/> on the given sequences of the batch only (it sees a [n, ...] view of each).</summary>
    public static HookFunction ForBatchIndices(IReadOnlyList<int> rows, HookFunction hook) => (t, c) =>
    {
        foreach (int b in rows)
        {
            if ((uint)b >= (uint)t.Dim(0)) continue;
            var view = t.Slice(b, 1);
            var replacement = hook(view, c);
            if (replacement is not null && !ReferenceEquals(replacement, view)) view.CopyFrom(replacement);
        }
        return null;
    };

    /// <summary>
    /// Edits the vector at every position whose token is <paramref name="token"/> ([batch, pos, ...] points;
    /// the context's tokens decide).
    /// </summary>
    public static HookFunction ForToken(int token, Action<Span<float>> edit) => (t, c) =>
    {
        var tokens = c.Tokens ?? throw new InvalidOperationException($"{c.Name}: a token condition needs the run's tokens.");
        int batch = t.Dim(0), seq = t.Dim(1), width = t.Length / (batch * seq);
        if (c.Point.Spec.PositionAxis != 1) throw new InvalidOperationException($"{c.Name} is not laid out [batch, pos, ...].");
        for (int b = 0; b < batch; b++)
            for (int p = 0; p < seq; p++)
                if (tokens[b, p] == token) edit(t.Span.Slice((b * seq + p) * width, width));
        return null;
    };

    /// <summary>Applies <paramref name="transform"/> to every element for which <paramref name="predicate"/> holds.</summary>
    public static HookFunction WhereValue(Func<float, bool> predicate, Func<float, float> transform) => (t, _) =>
    {
        var span = t.Span;
        for (int i = 0; i < span.Length; i++) if (predicate(span[i])) span[i] = transform(span[i]);
        return null;
    };

    /// <summary>Runs the steps in order, each seeing what the previous one left (replacements included).</summary>
    public static HookFunction Pipeline(params HookFunction[] steps) => (t, c) =>
    {
        foreach (var step in steps)
        {
            var replacement = step(t, c);
            if (replacement is not null && !ReferenceEquals(replacement, t))
            {
                if (!replacement.SameShape(t))
                    throw new InvalidOperationException($"A pipeline step on {c.Name} returned shape {Tensor.Format(replacement.Shape)} for {Tensor.Format(t.Shape)}.");
                t.CopyFrom(replacement);
            }
        }
        return null;
    };

    /// <summary>
    /// Reads <paramref name="source"/> and, later in the same run, edits <paramref name="target"/> with it:
    /// <paramref name="edit"/>(target activation, source activation, context). The source must fire first.
    /// Each run (and each thread) sees its own source value.
    /// </summary>
    public static HookBinding[] CrossLayer(string source, string target, Action<Tensor, Tensor, HookContext> edit)
    {
        var saved = new ThreadLocal<Tensor?>();
        return
        [
            new(source, Hook.Of(t => saved.Value = t.Clone())),
            new(target, Hook.Of((t, c) =>
            {
                var value = saved.Value ?? throw new InvalidOperationException($"{target} fired before {source}: a cross-layer hook reads an earlier point.");
                edit(t, value, c);
                saved.Value = null;
            })),
        ];
    }
}

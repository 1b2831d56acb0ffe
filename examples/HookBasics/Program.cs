using Glassbox;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Examples.HookBasics;

public static class Program
{
    public static int Main() => Example.Run(Console.Out);
}

/// <summary>
/// Hook points and hook functions, the seed notebook's first section: look at an activation, change
/// one, cache many, and keep hooks from leaking — first with strings (TransformerLens's way), then
/// with compile-time checked <c>[Hook]</c> methods.
/// </summary>
public static class Example
{
    public static int Run(TextWriter output)
    {
        var model = HookedTransformer.FromPretrained(SharedFolder.Find("models/gpt2-mini"));
        var tokens = model.ToTokens("In the beginning God created the heaven and the earth.");
        output.WriteLine($"{model.HookPoints.Points.Count} hook points, e.g. {string.Join(", ", model.HookPoints.Names.Take(4))}, ...");

        // 1. An observer: a hook function that only reads.
        float firstTokenAttention = 0;
        model.RunWithHooks(tokens, ("blocks.0.attn.hook_pattern", Hook.Of(pattern =>
        {
            for (int q = 0; q < pattern.Dim(2); q++) firstTokenAttention += pattern[0, 0, q, 0] / pattern.Dim(2);
        })));
        output.WriteLine($"L0H0 puts {firstTokenAttention:P1} of its attention on the first token, on average");

        // 2. An editor: zero one head's output and see the loss move.
        using var clean = model.Forward(tokens, new ForwardOptions { Return = ReturnType.Loss });
        using var edited = model.Forward(tokens, new ForwardOptions
        {
            Return = ReturnType.Loss,
            Hooks = [("blocks.1.attn.hook_z", Hook.Of(z => { for (int p = 0; p < z.Dim(1); p++) z[0][p][0].Clear(); }))],
        });
        output.WriteLine($"loss {clean.Loss:F3}, with head L1H0 zeroed {edited.Loss:F3}");

        // 3. A cache of exactly what you ask for, with TransformerLens's short names.
        var (_, cache) = model.RunWithCache(tokens, "blocks.*.hook_resid_post");
        using (cache) output.WriteLine($"cached {cache.Count} tensors, {cache.SizeInBytes} bytes; resid_post -1 is {Tensor.Format(cache[("resid_post", -1)].Shape)}");

        // 4. Scopes: hooks leave with the scope, also when something throws.
        try
        {
            using (model.Hooks(("hook_embed", Hook.Of(_ => throw new InvalidOperationException("boom")))))
                model.Run(tokens);
        }
        catch (InvalidOperationException) { }
        output.WriteLine($"after the throwing scope the model has {model.HookCount} hooks");

        // 5. Typos fail at once, with suggestions (and are compile errors in [Hook] attributes).
        try { model.AddHook("blocks.0.attn.hook_patern", Hook.Of(_ => { })); }
        catch (UnknownHookException e) { output.WriteLine(e.Message); }

        // 6. The same with [Hook] methods: an observer takes a read-only view, an editor a mutable one.
        var watch = new AttentionWatch();
        using (model.Attach(watch)) model.Run(tokens);
        output.WriteLine($"[Hook] observer: the strongest single attention weight per layer is {string.Join(", ", watch.Strongest.Select(v => v.ToString("F2")))}");
        using var knocked = model.Forward(tokens, new ZeroHeadZero(), new ForwardOptions { Return = ReturnType.Loss });
        output.WriteLine($"[Hook] editor zeroing L1H0 gives the same loss: {knocked.Loss:F3}");
        return Math.Abs(knocked.Loss - edited.Loss) < 1e-5 && model.HookCount == 0 ? 0 : 1;
    }
}

/// <summary>An observer: the largest attention weight each layer's heads give.</summary>
public sealed partial class AttentionWatch
{
    public float[] Strongest { get; } = new float[4];

    [Hook("blocks.<L>.attn.hook_pattern")]
    void OnPattern(ReadOnlyAttentionPattern pattern, int layer)
    {
        for (int h = 0; h < pattern.Heads; h++)
            for (int q = 1; q < pattern.QueryLength; q++)
                for (int k = 0; k <= q; k++) Strongest[layer] = Math.Max(Strongest[layer], pattern[0, h, q, k]);
    }
}

/// <summary>An editor: clears head 0 of layer 1 at every position.</summary>
public sealed partial class ZeroHeadZero
{
    [Hook("blocks.1.attn.hook_z")]
    void Clear(HeadVectors z) => z.Head(0).Clear();
}

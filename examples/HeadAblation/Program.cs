using Glassbox;
using Glassbox.Analysis;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Examples.HeadAblation;

public static class Program
{
    public static int Main() => Example.Run(Console.Out);
}

/// <summary>
/// ARENA 3: zero-ablate heads and measure the loss on repeated random tokens. The circuit's two heads
/// are knocked out with <c>[Ablate]</c> attributes; the full [layer, head] table comes from a batched
/// sweep (all heads of a layer in one forward pass).
/// </summary>
public static class Example
{
    public static int Run(TextWriter output)
    {
        var model = InductionDemoModel.Create();
        var tokens = HeadScores.RepeatedRandomTokens(InductionDemoModel.Vocab, 16, batch: 4, seed: 3);
        using var clean = model.Forward(tokens, new ForwardOptions { Return = ReturnType.Loss });
        using var noInduction = model.Forward(tokens, new KnockOutInductionHead(), new ForwardOptions { Return = ReturnType.Loss });
        using var noPrevious = model.Forward(tokens, new KnockOutPreviousTokenHead(), new ForwardOptions { Return = ReturnType.Loss });
        output.WriteLine($"loss on repeated random tokens: clean {clean.Loss:F3}, without L1H1 {noInduction.Loss:F3}, without L0H0 {noPrevious.Loss:F3}");

        var table = Importance.Heads(model, tokens);
        output.WriteLine("loss change when each head is zero-ablated (rows: layer, columns: head):");
        for (int l = 0; l < table.Dim(0); l++)
            output.WriteLine($"  layer {l}: " + string.Join("  ", Enumerable.Range(0, table.Dim(1)).Select(h => $"{table[l, h],7:F3}")));
        bool consistent = Math.Abs(table[1, 1] - (noInduction.Loss - clean.Loss)) < 1e-4;
        output.WriteLine($"the [Ablate] run and the sweep agree on L1H1: {consistent}");
        return consistent && table[1, 1] > 1 && table[0, 0] > 1 ? 0 : 1;
    }
}

[Ablate("blocks.1.attn.hook_z", Heads = new[] { 1 })]
public sealed partial class KnockOutInductionHead;

[Ablate("blocks.0.attn.hook_z", Heads = new[] { 0 }, Mode = AblationMode.Zero)]
public sealed partial class KnockOutPreviousTokenHead;

using Glassbox;
using Glassbox.Analysis;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Examples.InductionHeads;

public static class Program
{
    public static int Main(string[] args) => Example.Run(Console.Out, args.Length > 0 ? args[0] : "induction-heads-output");
}

/// <summary>
/// ARENA 1.1/1.2: run repeated random tokens, measure each head's attention from a token to the one
/// after its earlier occurrence (the induction stripe), and find the induction head — with a
/// <c>[Hook]</c> observer on every layer's pattern, checked against the library's score.
/// </summary>
public static class Example
{
    public static int Run(TextWriter output, string outputFolder)
    {
        var model = InductionDemoModel.Create();
        const int half = 20;
        var tokens = HeadScores.RepeatedRandomTokens(InductionDemoModel.Vocab, half, batch: 8, seed: 1);

        var stripe = new InductionStripe(half, model.Config.NLayers, model.Config.NHeads);
        using (model.Attach(stripe)) model.Run(tokens);
        var library = HeadScores.Induction(model, half, batch: 8, seed: 1);

        output.WriteLine("induction score per head (rows: layer, columns: head), from a [Hook] observer:");
        for (int l = 0; l < model.Config.NLayers; l++)
            output.WriteLine($"  layer {l}: " + string.Join("  ", Enumerable.Range(0, model.Config.NHeads).Select(h => $"{stripe.Scores[l, h]:F3}")));
        var (il, ih) = ArgMax(stripe.Scores);
        output.WriteLine($"the induction head is L{il}H{ih} (built in as L{InductionDemoModel.InductionHead.Layer}H{InductionDemoModel.InductionHead.Head})");
        double maxDifference = Enumerable.Range(0, model.Config.NLayers).SelectMany(l => Enumerable.Range(0, model.Config.NHeads).Select(h => Math.Abs(stripe.Scores[l, h] - library[l, h]))).Max();
        output.WriteLine($"the observer and HeadScores.Induction agree to {maxDifference:E1}");
        Directory.CreateDirectory(outputFolder);
        return (il, ih) == InductionDemoModel.InductionHead && maxDifference < 1e-5 ? 0 : 1;
    }

    static (int, int) ArgMax(float[,] scores)
    {
        (int, int) best = (0, 0);
        for (int l = 0; l < scores.GetLength(0); l++)
            for (int h = 0; h < scores.GetLength(1); h++)
                if (scores[l, h] > scores[best.Item1, best.Item2]) best = (l, h);
        return best;
    }
}

/// <summary>Mean attention along the induction stripe (query i to key i − half + 1, second copy) per head.</summary>
public sealed partial class InductionStripe(int half, int layers, int heads)
{
    public float[,] Scores { get; } = new float[layers, heads];

    [Hook("blocks.<L>.attn.hook_pattern")]
    void OnPattern(ReadOnlyAttentionPattern pattern, int layer)
    {
        for (int h = 0; h < pattern.Heads; h++)
        {
            double sum = 0;
            for (int b = 0; b < pattern.Batch; b++)
                for (int q = half; q < 2 * half; q++) sum += pattern[b, h, q, q - half + 1];
            Scores[layer, h] = (float)(sum / (pattern.Batch * half));
        }
    }
}

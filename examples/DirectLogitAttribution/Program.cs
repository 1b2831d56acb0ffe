using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Examples.DirectLogitAttribution;

public static class Program
{
    public static int Main() => Example.Run(Console.Out);
}

/// <summary>
/// ARENA's direct logit attribution: split the final residual stream into what each component wrote
/// (embeddings, each head, each MLP, the biases), push each part through the final norm and the
/// unembedding, and check that the parts add up to the logit — then see which component did the work.
/// </summary>
public static class Example
{
    public static int Run(TextWriter output)
    {
        int failures = 0;
        // 1. The embedded induction model: the answer should come from the induction head L1H1 alone.
        var demo = InductionDemoModel.Create();
        var tokens = IntTensor.FromSequence(InductionDemoModel.Encode("the cat sat on a red mat and the cat"));
        int answer = InductionDemoModel.Encode("sat")[0];
        failures += Attribute(output, demo, tokens, answer, "induction demo, predicting 'sat'");

        // 2. A trained model (gpt2-mini, TransformerLens weight processing): a real prompt.
        var mini = HookedTransformer.FromPretrained(SharedFolder.Find("models/gpt2-mini"));
        var prompt = mini.ToTokens("In the beginning God created the heaven and the", prependBos: false);
        using var logits = mini.Run(prompt);
        int predicted = Enumerable.Range(0, mini.Config.DVocab).MaxBy(v => logits[0, prompt.Dim(1) - 1, v]);
        failures += Attribute(output, mini, prompt, predicted, $"gpt2-mini, predicting '{mini.ToText([predicted])}'");
        return failures;
    }

    static int Attribute(TextWriter output, HookedTransformer model, IntTensor tokens, int answer, string title)
    {
        var (logits, cache) = model.RunWithCache(tokens);
        using (cache)
        {
            var components = cache.GetFullResidDecomposition(position: -1);
            var attributions = cache.LogitAttrs(components, [answer]);
            float sum = Enumerable.Range(0, components.Count).Sum(c => attributions[c, 0]);
            // What the final norm's bias and the unembedding bias add is the same for every input.
            float constant = (model.Weights.BU?[answer] ?? 0f)
                + (model.Weights.LnFinalBias is { } beta ? System.Numerics.Tensors.TensorPrimitives.Dot(beta, model.TokensToResidualDirections([answer])[0].Span) : 0f);
            float logit = logits[0, tokens.Dim(1) - 1, answer];
            output.WriteLine($"== {title}");
            output.WriteLine($"   sum of attributions + constant = {sum + constant:F4}, logit = {logit:F4}");
            foreach (var (label, value) in components.Labels.Select((l, i) => (l, attributions[i, 0])).OrderByDescending(x => Math.Abs(x.Item2)).Take(5))
                output.WriteLine($"   {label,-12} {value,8:F3}");
            output.WriteLine();
            return Math.Abs(sum + constant - logit) < 1e-3f * Math.Max(1, Math.Abs(logit)) ? 0 : 1;
        }
    }
}

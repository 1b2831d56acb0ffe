using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>A number computed from a run's logits [batch, pos, d_vocab] and its tokens (lower or higher is better as the metric says).</summary>
public delegate float Metric(Tensor logits, IntTensor tokens);

public static class Metrics
{
    /// <summary>Mean next-token cross-entropy.</summary>
    public static Metric Loss { get; } = (logits, tokens) => Models.Loss.NextToken(logits, tokens, null).Mean;

    /// <summary>logit[correct] − logit[wrong] at <paramref name="position"/>, averaged over the batch.</summary>
    public static Metric LogitDifference(int correct, int wrong, int position = -1) => (logits, _) =>
    {
        double sum = 0;
        for (int b = 0; b < logits.Dim(0); b++)
        {
            var row = logits[b][position];
            sum += row.Span[correct] - row.Span[wrong];
        }
        return (float)(sum / logits.Dim(0));
    };

    /// <summary>Per-sequence answers: logit[correct[b]] − logit[wrong[b]] at <paramref name="position"/>, averaged.</summary>
    public static Metric LogitDifference(int[] correct, int[] wrong, int position = -1) => (logits, _) =>
    {
        if (correct.Length != logits.Dim(0) || wrong.Length != logits.Dim(0))
            throw new ArgumentException($"{correct.Length} correct and {wrong.Length} wrong answers for a batch of {logits.Dim(0)}.");
        double sum = 0;
        for (int b = 0; b < logits.Dim(0); b++)
        {
            var row = logits[b][position];
            sum += row.Span[correct[b]] - row.Span[wrong[b]];
        }
        return (float)(sum / logits.Dim(0));
    };
}

using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>Picks the next token from a row of logits: greedy, or temperature / top-k / top-p sampling.</summary>
internal sealed class Sampler(GenerationOptions options)
{
    readonly Random _random = options.Seed is int seed ? new Random(seed) : new Random();

    public int Next(ReadOnlySpan<float> logits)
    {
        if (options.Temperature <= 0) return ArgMax(logits);

        // Candidates in descending order of logit; keep top-k, then the top-p nucleus.
        var order = new int[logits.Length];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var keys = logits.ToArray();
        Array.Sort(keys.Select(v => -v).ToArray(), order);
        int keep = Math.Clamp(options.TopK ?? order.Length, 1, order.Length);

        var probs = new float[keep];
        for (int i = 0; i < keep; i++) probs[i] = logits[order[i]] / options.Temperature;
        Softmax.Row(probs, probs);
        if (options.TopP is float p && p < 1)
        {
            float cumulative = 0;
            for (int i = 0; i < keep; i++)
            {
                cumulative += probs[i];
                if (cumulative >= p) { keep = i + 1; break; }
            }
        }

        double total = 0;
        for (int i = 0; i < keep; i++) total += probs[i];
        double u = _random.NextDouble() * total;
        for (int i = 0; i < keep; i++)
        {
            u -= probs[i];
            if (u <= 0) return order[i];
        }
        return order[keep - 1];
    }

    /// <summary>The first maximal index, as llama2.c's argmax and torch.argmax.</summary>
    public static int ArgMax(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int v = 1; v < logits.Length; v++) if (logits[v] > logits[best]) best = v;
        return best;
    }
}

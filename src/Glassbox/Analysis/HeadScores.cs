using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>
/// Per-head attention scores as ARENA defines them, as [layer, head] tables: the mean attention
/// along one diagonal of the pattern. Computed from the pattern hooks during the run; nothing is cached.
/// </summary>
public static class HeadScores
{
    /// <summary>
    /// <paramref name="batch"/> sequences of <paramref name="seqLength"/> random tokens repeated twice,
    /// optionally after a BOS token: [batch, (1) + 2·seqLength].
    /// </summary>
    public static IntTensor RepeatedRandomTokens(int vocab, int seqLength, int batch, int seed = 0, int? bos = null)
    {
        if (seqLength < 1 || batch < 1) throw new ArgumentOutOfRangeException(nameof(seqLength), "seqLength and batch must be positive.");
        var rng = new Random(seed);
        int prefix = bos is null ? 0 : 1, n = prefix + 2 * seqLength;
        var tokens = new int[batch * n];
        for (int b = 0; b < batch; b++)
        {
            if (bos is int t) tokens[b * n] = t;
            for (int i = 0; i < seqLength; i++)
            {
                int token;
                do token = rng.Next(vocab); while (token == bos);
                tokens[b * n + prefix + i] = token;
                tokens[b * n + prefix + seqLength + i] = token;
            }
        }
        return new IntTensor(tokens, batch, n);
    }

    /// <summary>
    /// Induction score: on repeated random tokens, the mean attention from each token of the second
    /// copy to the token after its earlier occurrence (pattern diagonal offset 1 − seqLength).
    /// </summary>
    public static Tensor Induction(HookedTransformer model, int seqLength = 50, int batch = 10, int seed = 0, int? bos = null)
        => Diagonal(model, RepeatedRandomTokens(model.Config.DVocab, seqLength, batch, seed, bos), -(seqLength - 1), FirstOfSecondCopy(seqLength, bos));

    /// <summary>Previous-token score: mean attention from each position to the one before it (offset −1).</summary>
    public static Tensor PreviousToken(HookedTransformer model, int seqLength = 50, int batch = 10, int seed = 0, int? bos = null)
        => Diagonal(model, RepeatedRandomTokens(model.Config.DVocab, seqLength, batch, seed, bos), -1, 1);

    /// <summary>Duplicate-token score: mean attention from each token of the second copy to its earlier occurrence (offset −seqLength).</summary>
    public static Tensor DuplicateToken(HookedTransformer model, int seqLength = 50, int batch = 10, int seed = 0, int? bos = null)
        => Diagonal(model, RepeatedRandomTokens(model.Config.DVocab, seqLength, batch, seed, bos), -seqLength, FirstOfSecondCopy(seqLength, bos));

    /// <summary>
    /// Mean of pattern[b, h, i, i + <paramref name="offset"/>] over the batch and the query positions
    /// i ≥ <paramref name="firstQuery"/> (offset ≤ 0), per layer and head: [layers, heads].
    /// </summary>
    public static Tensor Diagonal(HookedTransformer model, IntTensor tokens, int offset, int firstQuery)
    {
        if (offset > 0) throw new ArgumentOutOfRangeException(nameof(offset), "A causal pattern has nothing above the diagonal; use offset ≤ 0.");
        int firstValid = Math.Max(firstQuery, -offset);
        int seq = tokens.Dim(1);
        if (firstValid >= seq) throw new ArgumentException($"No query position in 0..{seq - 1} has a key at offset {offset} from position {firstQuery} on.");
        var cfg = model.Config;
        var scores = Tensor.Zeros(cfg.NLayers, cfg.NHeads);
        var hook = Hook.Of((pattern, context) =>
        {
            int batch = pattern.Dim(0), heads = pattern.Dim(1);
            for (int h = 0; h < heads; h++)
            {
                double sum = 0;
                for (int b = 0; b < batch; b++)
                    for (int i = firstValid; i < seq; i++) sum += pattern[b, h, i, i + offset];
                scores[context.Layer, h] = (float)(sum / (batch * (seq - firstValid)));
            }
        });
        model.Forward(tokens, new ForwardOptions { Hooks = [("blocks.*.attn.hook_pattern", hook)], Return = ReturnType.None }).Dispose();
        return scores;
    }

    static int FirstOfSecondCopy(int seqLength, int? bos) => (bos is null ? 0 : 1) + seqLength;
}

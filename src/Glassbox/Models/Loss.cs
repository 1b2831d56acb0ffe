using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>Next-token cross-entropy, as TransformerLens's <c>lm_cross_entropy_loss</c>, padding-aware.</summary>
public static class Loss
{
    /// <summary>
    /// Per-token loss [batch, pos-1]: −log p(token[p+1] | ..p). Positions where either token is
    /// padding get 0 and are excluded from the mean.
    /// </summary>
    public static (float Mean, Tensor PerToken) NextToken(Tensor logits, IntTensor tokens, IntTensor? mask)
    {
        int batch = logits.Dim(0), seq = logits.Dim(1), vocab = logits.Dim(2);
        if (tokens.Dim(0) != batch || tokens.Dim(1) != seq)
            throw new ArgumentException($"Tokens {Tensor.Format(tokens.Shape)} do not match logits {Tensor.Format(logits.Shape)}.");
        var perToken = Tensor.Zeros(batch, Math.Max(seq - 1, 0));
        var logProbs = new float[vocab];
        double sum = 0;
        int count = 0;
        for (int b = 0; b < batch; b++)
            for (int p = 0; p + 1 < seq; p++)
            {
                if (mask is not null && (mask[b, p] == 0 || mask[b, p + 1] == 0)) continue;
                Softmax.LogRow(logits.Span.Slice((b * seq + p) * vocab, vocab), logProbs);
                float nll = -logProbs[tokens[b, p + 1]];
                perToken[b, p] = nll;
                sum += nll;
                count++;
            }
        return (count == 0 ? float.NaN : (float)(sum / count), perToken);
    }
}

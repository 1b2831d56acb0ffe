using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>What a forward pass produced. Disposing returns the tensors' buffers to the model's pool.</summary>
public sealed class ForwardResult : IDisposable
{
    /// <summary>[batch, pos, d_vocab], when asked for.</summary>
    public Tensor? Logits { get; init; }

    /// <summary>Mean next-token cross-entropy over real (unpadded) positions; NaN when not asked for.</summary>
    public float Loss { get; init; } = float.NaN;

    /// <summary>[batch, pos-1] per-token loss (0 at padded positions), when asked for.</summary>
    public Tensor? LossPerToken { get; init; }

    /// <summary>The residual stream [batch, pos, d_model] when the run stopped early (<c>StopAtLayer</c>).</summary>
    public Tensor? Residual { get; init; }

    public void Dispose()
    {
        Logits?.Dispose();
        LossPerToken?.Dispose();
        Residual?.Dispose();
    }
}

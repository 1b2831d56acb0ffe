using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>What a forward pass returns (TransformerLens's <c>return_type</c>).</summary>
public enum ReturnType { Logits, Loss, Both, None }

/// <summary>Options for one forward pass.</summary>
public sealed record ForwardOptions
{
    public ReturnType Return { get; init; } = ReturnType.Logits;

    /// <summary>Also return the per-token loss [batch, pos-1] (TransformerLens's <c>loss_per_token</c>).</summary>
    public bool LossPerToken { get; init; }

    /// <summary>
    /// [batch, pos], 1 for real tokens and 0 for padding (left or right); positions are derived from it.
    /// With a <see cref="KeyValueCache"/>, the mask of this pass's tokens only (the cache keeps the rest).
    /// </summary>
    public IntTensor? AttentionMask { get; init; }

    /// <summary>Run blocks up to (not including) this layer and return the residual stream; negative counts from the end.</summary>
    public int? StopAtLayer { get; init; }

    /// <summary>Hooks for this run only: concurrent runs on one model never see each other's.</summary>
    public IReadOnlyList<HookBinding>? Hooks { get; init; }

    /// <summary>
    /// Attend to the keys and values cached by earlier passes and append this pass's: the tokens given
    /// continue the cached sequences. Updated only when the pass completes.
    /// </summary>
    public KeyValueCache? KeyValueCache { get; init; }

    /// <summary>The generation step reported to hooks (<see cref="Hooks.HookContext.Step"/>).</summary>
    internal int Step { get; init; } = -1;

    public static ForwardOptions Default { get; } = new();
}

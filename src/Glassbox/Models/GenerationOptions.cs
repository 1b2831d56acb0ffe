using Glassbox.Hooks;

namespace Glassbox.Models;

/// <summary>How <see cref="HookedTransformer.Generate(int[], GenerationOptions?, Action{int}?)"/> picks tokens.</summary>
public sealed record GenerationOptions
{
    public int MaxNewTokens { get; init; } = 20;

    /// <summary>0 = greedy (argmax, first maximal index); otherwise logits are divided by it before sampling.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Sample only among the k most likely tokens.</summary>
    public int? TopK { get; init; }

    /// <summary>Sample only among the most likely tokens whose probabilities add up to p (nucleus sampling).</summary>
    public float? TopP { get; init; }

    /// <summary>Seed for sampling; the same seed gives the same tokens.</summary>
    public int? Seed { get; init; }

    /// <summary>A sequence stops after emitting one of these (the stop token is included).</summary>
    public IReadOnlyList<int>? StopTokens { get; init; }

    /// <summary>Reuse keys and values across steps (default). Off recomputes the whole sequence each step.</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>Hooks for every step of this generation (e.g. a steering vector); <see cref="HookContext.Step"/> tells the step.</summary>
    public IReadOnlyList<HookBinding>? Hooks { get; init; }

    /// <summary>Token fed to finished sequences of a batch while the others go on (default: the first stop token, else 0).</summary>
    public int? PadToken { get; init; }

    public static GenerationOptions Greedy(int maxNewTokens) => new() { MaxNewTokens = maxNewTokens, Temperature = 0 };
}

using Glassbox.Models;

namespace Glassbox.Tests;

/// <summary>Small seeded random GPT-2-style models for tests that need no fixture files.</summary>
public static class TinyModel
{
    public static ModelConfig Config { get; } = new ModelConfig
    {
        ModelName = "tiny-random", NLayers = 3, DModel = 32, NHeads = 4, DVocab = 50, NCtx = 24,
    }.Validated();

    public static HookedTransformer Create(int seed = 7, ModelConfig? config = null)
        => new(config ?? Config, RandomWeights.Create(config ?? Config, seed, std: 0.2f));
}

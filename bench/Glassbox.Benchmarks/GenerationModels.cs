using Glassbox.Hooks;
using Glassbox.Loading;
using Glassbox.Models;

namespace Glassbox.Benchmarks;

/// <summary>
/// The models generation is timed on: the trained stories260K (llama2.c .bin from the shared
/// fixtures) and one layer of LLaMA-7B's shape with seeded random weights (d_model 4096, 32 heads
/// of 128, d_mlp 11008 gated SiLU, RMSNorm, rotary, vocab 32000 with an untied unembedding:
/// 0.47 G parameters, 1.9 GB as float32 — about one 7B layer plus its embedding and unembedding).
/// </summary>
public static class GenerationModels
{
    public const string Stories260K = "stories260K";
    public const string Llama7BLayer = "llama-7b-1layer";
    public static readonly string[] Names = [Stories260K, Llama7BLayer];

    public const int PromptTokens = 32;
    public const int NewTokens = 32;

    public static ModelConfig Llama7BLayerConfig => new ModelConfig
    {
        ModelName = Llama7BLayer,
        Family = ModelFamily.Llama,
        NLayers = 1, DModel = 4096, NHeads = 32, DHead = 128, DMlp = 11008, DVocab = 32000, NCtx = 4096,
        ActFn = ActivationFunction.Silu, Normalization = NormalizationType.RMS, PositionalEmbedding = PositionalEmbeddingType.Rotary,
        GatedMlp = true, TiedEmbeddings = false, Eps = 1e-5f,
    }.Validated();

    public static HookedTransformer Load(string name) => name switch
    {
        Stories260K => Llama2cCheckpoint.Load(Path.Combine(LocateShared(), "reference", "stories260K", "stories260K.bin")),
        Llama7BLayer => new HookedTransformer(Llama7BLayerConfig, RandomWeights.Create(Llama7BLayerConfig, seed: 1)),
        _ => throw new ArgumentException($"unknown model '{name}'; models: {string.Join(", ", Names)}"),
    };

    /// <summary>A seeded random prompt of <see cref="PromptTokens"/> ids (BOS-free: any id in the vocabulary).</summary>
    public static int[] Prompt(ModelConfig config)
    {
        var rng = new Random(2);
        return Enumerable.Range(0, PromptTokens).Select(_ => rng.Next(3, config.DVocab)).ToArray();
    }

    /// <summary>Greedy, exactly <see cref="NewTokens"/> new tokens (no stop token), with or without the KV cache.</summary>
    public static GenerationOptions Options(bool kvCache) => GenerationOptions.Greedy(NewTokens) with { UseKvCache = kvCache };

    static string LocateShared()
    {
        string? overridden = Environment.GetEnvironmentVariable("GLASSBOX_SHARED");
        if (!string.IsNullOrEmpty(overridden)) return overridden;
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            foreach (string candidate in new[] { Path.Combine(dir.FullName, "shared"), Path.Combine(dir.FullName, "..", "shared") })
                if (File.Exists(Path.Combine(candidate, "reference", "stories260K", "stories260K.bin"))) return candidate;
        throw new DirectoryNotFoundException("No shared/reference/stories260K beside the repository; set GLASSBOX_SHARED.");
    }
}

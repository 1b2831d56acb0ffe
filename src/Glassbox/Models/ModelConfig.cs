using Glassbox.Hooks;

namespace Glassbox.Models;

public enum ActivationFunction { GeluNew, Gelu, Relu, Silu }

/// <summary>TransformerLens's normalization types: LN / RMS with weights, LNPre / RMSPre without (after folding), or none.</summary>
public enum NormalizationType { LN, LNPre, RMS, RMSPre, None }

public enum PositionalEmbeddingType { Standard, Rotary, Shortformer }

/// <summary>
/// The shape and switches of a transformer, mirroring TransformerLens's <c>HookedTransformerConfig</c>.
/// One engine runs every family; the family only decides the defaults and the loaders.
/// </summary>
public sealed record ModelConfig
{
    public string ModelName { get; init; } = "custom";
    public ModelFamily Family { get; init; } = ModelFamily.Gpt2;
    public required int NLayers { get; init; }
    public required int DModel { get; init; }
    public required int NHeads { get; init; }
    public int DHead { get; init; }
    public int DMlp { get; init; }
    public required int DVocab { get; init; }
    public required int NCtx { get; init; }
    public ActivationFunction ActFn { get; init; } = ActivationFunction.GeluNew;
    public NormalizationType Normalization { get; init; } = NormalizationType.LN;
    public PositionalEmbeddingType PositionalEmbedding { get; init; } = PositionalEmbeddingType.Standard;
    /// <summary>Key/value heads for grouped-query attention; equal to <see cref="NHeads"/> otherwise.</summary>
    public int NKeyValueHeads { get; init; }
    public int RotaryDim { get; init; }
    public float RotaryBase { get; init; } = 10000f;
    /// <summary>Rotate adjacent pairs (2j, 2j+1) as GPT-J and llama2.c do, instead of Hugging Face's rotate_half (j, j + d/2).</summary>
    public bool RotaryAdjacentPairs { get; init; }
    public bool ParallelAttnMlp { get; init; }
    public bool AttnOnly { get; init; }
    public bool GatedMlp { get; init; }
    public bool TiedEmbeddings { get; init; } = true;
    public float Eps { get; init; } = 1e-5f;
    public bool UseAttnScale { get; init; } = true;

    /// <summary>Fills derived defaults (d_head, d_mlp, kv heads, rotary dim) and checks consistency.</summary>
    public ModelConfig Validated()
    {
        var c = this with
        {
            DHead = DHead > 0 ? DHead : (NHeads > 0 ? DModel / NHeads : 0),
            DMlp = DMlp > 0 ? DMlp : (AttnOnly ? 0 : 4 * DModel),
            NKeyValueHeads = NKeyValueHeads > 0 ? NKeyValueHeads : NHeads,
        };
        c = c with { RotaryDim = c.RotaryDim > 0 ? c.RotaryDim : c.DHead };
        void Require(bool ok, string what)
        {
            if (!ok) throw new ArgumentException($"Invalid model config '{ModelName}': {what}.");
        }
        Require(c.NLayers > 0, $"n_layers must be positive (got {c.NLayers})");
        Require(c.DModel > 0, $"d_model must be positive (got {c.DModel})");
        Require(c.NHeads > 0, $"n_heads must be positive (got {c.NHeads})");
        Require(c.DHead > 0, $"d_head must be positive (got {c.DHead})");
        Require(c.DVocab > 0, $"d_vocab must be positive (got {c.DVocab})");
        Require(c.NCtx > 0, $"n_ctx must be positive (got {c.NCtx})");
        Require(c.AttnOnly || c.DMlp > 0, $"d_mlp must be positive (got {c.DMlp})");
        Require(c.NHeads % c.NKeyValueHeads == 0, $"n_heads ({c.NHeads}) must be a multiple of n_key_value_heads ({c.NKeyValueHeads})");
        Require(c.RotaryDim <= c.DHead && c.RotaryDim % 2 == 0, $"rotary_dim ({c.RotaryDim}) must be even and at most d_head ({c.DHead})");
        Require(c.Eps > 0, $"eps must be positive (got {c.Eps})");
        return c;
    }

    /// <summary>Which catalog hook points this model has.</summary>
    public ModelFeatures Features
    {
        get
        {
            var f = ModelFeatures.None;
            if (PositionalEmbedding is PositionalEmbeddingType.Standard or PositionalEmbeddingType.Shortformer) f |= ModelFeatures.PositionEmbedding;
            if (PositionalEmbedding == PositionalEmbeddingType.Rotary) f |= ModelFeatures.Rotary;
            if (!AttnOnly) f |= ModelFeatures.Mlp;
            if (!AttnOnly && GatedMlp) f |= ModelFeatures.GatedMlp;
            if (!AttnOnly && !ParallelAttnMlp) f |= ModelFeatures.SequentialResidual;
            if (Normalization != NormalizationType.None) f |= ModelFeatures.Norm;
            return f;
        }
    }

    public bool NormCenters => Normalization is NormalizationType.LN or NormalizationType.LNPre;
    public bool NormHasWeights => Normalization is NormalizationType.LN or NormalizationType.RMS;

    /// <summary>Number of parameters (weights and biases, unembedding counted once when tied).</summary>
    public long ParameterCount
    {
        get
        {
            long d = DModel, qk = (long)NHeads * DHead, kv = (long)NKeyValueHeads * DHead;
            long norm = NormHasWeights ? (Normalization == NormalizationType.LN ? 2 * d : d) : 0;
            long attn = d * qk + 2 * d * kv + qk * d + qk + 2 * kv + d;
            long mlp = AttnOnly ? 0 : (GatedMlp ? 3 * d * DMlp : 2 * d * DMlp) + DMlp + d;
            long perLayer = attn + mlp + norm * (AttnOnly ? 1 : 2);
            long embed = (long)DVocab * d + (PositionalEmbedding == PositionalEmbeddingType.Rotary ? 0 : (long)NCtx * d);
            long unembed = TiedEmbeddings ? 0 : (long)DVocab * d;
            return embed + NLayers * perLayer + norm + unembed;
        }
    }

    /// <summary>GPT-2 small's shape (124M parameters), for benchmarks and <c>inspect --preset</c>.</summary>
    public static ModelConfig Gpt2Small => new ModelConfig
    {
        ModelName = "gpt2-small", NLayers = 12, DModel = 768, NHeads = 12, DVocab = 50257, NCtx = 1024,
    }.Validated();

    /// <summary>
    /// Named shapes for <c>glassbox inspect --preset</c> and <c>bench</c>. <c>gpt2-tiny</c> is the
    /// shape of the <c>shared/reference/gpt2-tiny</c> fixture (2 layers, d_model 64, 4 heads, vocab 97,
    /// context 32): small enough for smoke tests and quick benchmarks of the overheads.
    /// </summary>
    public static IReadOnlyDictionary<string, ModelConfig> Presets { get; } = new Dictionary<string, ModelConfig>(StringComparer.OrdinalIgnoreCase)
    {
        ["gpt2-tiny"] = new ModelConfig { ModelName = "gpt2-tiny", NLayers = 2, DModel = 64, NHeads = 4, DVocab = 97, NCtx = 32 }.Validated(),
        ["gpt2-small"] = Gpt2Small,
        ["gpt2-medium"] = Gpt2Small with { ModelName = "gpt2-medium", NLayers = 24, DModel = 1024, NHeads = 16, DHead = 64, DMlp = 4096 },
    };
}

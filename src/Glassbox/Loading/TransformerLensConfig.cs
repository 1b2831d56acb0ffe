using System.Text.Json;
using Glassbox.Hooks;
using Glassbox.Models;

namespace Glassbox.Loading;

/// <summary>
/// A config.json holding TransformerLens <c>HookedTransformerConfig</c> fields (marked
/// <c>"format": "transformer_lens"</c>), as saved beside a TransformerLens state dict.
/// </summary>
internal static class TransformerLensConfig
{
    public static ModelConfig Read(JsonElement root, string path)
    {
        var json = new HuggingFaceConfig.ConfigJson(root, path);
        bool attnOnly = json.Bool("attn_only") ?? false;
        var positional = json.String("positional_embedding_type") ?? "standard";
        int d = json.Int("d_model") ?? throw json.Missing("d_model");
        int heads = json.Int("n_heads") ?? throw json.Missing("n_heads");
        var normalization = json.String("normalization_type") switch
        {
            null => NormalizationType.None,
            "LN" => NormalizationType.LN,
            "LNPre" => NormalizationType.LNPre,
            "RMS" => NormalizationType.RMS,
            "RMSPre" => NormalizationType.RMSPre,
            var other => throw new NotSupportedException($"{path}: normalization_type \"{other}\" is not supported."),
        };
        var positionalType = positional switch
        {
            "standard" => PositionalEmbeddingType.Standard,
            "shortformer" => PositionalEmbeddingType.Shortformer,
            "rotary" => PositionalEmbeddingType.Rotary,
            _ => throw new NotSupportedException($"{path}: positional_embedding_type \"{positional}\" is not supported."),
        };
        bool parallel = json.Bool("parallel_attn_mlp") ?? false;
        return new ModelConfig
        {
            ModelName = json.String("model_name") ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) ?? "transformer_lens",
            Family = attnOnly ? ModelFamily.AttentionOnly
                : positionalType != PositionalEmbeddingType.Rotary ? ModelFamily.Gpt2
                : parallel ? ModelFamily.NeoX : ModelFamily.Llama,
            NLayers = json.Int("n_layers") ?? throw json.Missing("n_layers"),
            DModel = d,
            NHeads = heads,
            DHead = json.Int("d_head") ?? d / heads,
            DMlp = attnOnly ? 0 : json.Int("d_mlp") ?? throw json.Missing("d_mlp"),
            DVocab = json.Int("d_vocab") ?? throw json.Missing("d_vocab"),
            NCtx = json.Int("n_ctx") ?? throw json.Missing("n_ctx"),
            ActFn = attnOnly ? ActivationFunction.GeluNew : HuggingFaceConfig.Activation(json, json.String("act_fn") ?? throw json.Missing("act_fn")),
            Normalization = normalization,
            PositionalEmbedding = positionalType,
            NKeyValueHeads = json.Int("n_key_value_heads") ?? heads,
            RotaryDim = json.Int("rotary_dim") ?? 0,
            RotaryBase = (float)(json.Double("rotary_base") ?? 10000),
            RotaryAdjacentPairs = json.Bool("rotary_adjacent_pairs") ?? false,
            ParallelAttnMlp = parallel,
            AttnOnly = attnOnly,
            GatedMlp = json.Bool("gated_mlp") ?? false,
            TiedEmbeddings = false,
            Eps = (float)(json.Double("eps") ?? 1e-5),
            UseAttnScale = json.Bool("use_attn_scale") ?? true,
        }.Validated();
    }
}

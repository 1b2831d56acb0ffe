using System.Text.Json;
using Glassbox.Hooks;
using Glassbox.Models;

namespace Glassbox.Loading;

/// <summary>Reads a Hugging Face <c>config.json</c> into a <see cref="ModelConfig"/>.</summary>
public static class HuggingFaceConfig
{
    public static ModelConfig Read(string configPath)
    {
        if (!File.Exists(configPath)) throw new FileNotFoundException($"No config.json at {configPath}.", configPath);
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(configPath));
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{configPath} is not valid JSON: {e.Message}", e);
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{configPath} must hold a JSON object.");
        var json = new ConfigJson(root, configPath);
        if (json.String("format") == "transformer_lens") return TransformerLensConfig.Read(json.Root, configPath);
        string modelType = json.String("model_type") ?? throw new InvalidDataException($"{configPath} has no \"model_type\".");
        string name = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(configPath))) ?? modelType;
        return modelType switch
        {
            "gpt2" => Gpt2(json, name),
            "llama" or "mistral" or "qwen2" => Llama(json, name, modelType),
            "gpt_neox" => NeoX(json, name),
            _ => throw new NotSupportedException($"{configPath}: model_type \"{modelType}\" is not supported (supported: gpt2, llama, mistral, qwen2, gpt_neox)."),
        };
    }

    static ModelConfig Gpt2(ConfigJson json, string name)
    {
        if (json.Bool("scale_attn_by_inverse_layer_idx") == true)
            throw new NotSupportedException($"{json.Path}: scale_attn_by_inverse_layer_idx is not supported.");
        int d = json.Int("n_embd") ?? throw json.Missing("n_embd");
        return new ModelConfig
        {
            ModelName = name,
            Family = ModelFamily.Gpt2,
            NLayers = json.Int("n_layer") ?? throw json.Missing("n_layer"),
            DModel = d,
            NHeads = json.Int("n_head") ?? throw json.Missing("n_head"),
            DMlp = json.Int("n_inner") ?? 4 * d,
            DVocab = json.Int("vocab_size") ?? throw json.Missing("vocab_size"),
            NCtx = json.Int("n_positions") ?? json.Int("n_ctx") ?? throw json.Missing("n_positions"),
            ActFn = Activation(json, json.String("activation_function") ?? "gelu_new"),
            Eps = (float)(json.Double("layer_norm_epsilon") ?? 1e-5),
            TiedEmbeddings = json.Bool("tie_word_embeddings") ?? true,
            UseAttnScale = json.Bool("scale_attn_weights") ?? true,
            Normalization = NormalizationType.LN,
            PositionalEmbedding = PositionalEmbeddingType.Standard,
        }.Validated();
    }

    /// <summary>LLaMA and the families that share its layout (Mistral, Qwen2): RMSNorm, rotary, SwiGLU, GQA.</summary>
    static ModelConfig Llama(ConfigJson json, string name, string modelType)
    {
        if (json.Has("rope_scaling"))
            throw new NotSupportedException($"{json.Path}: rope_scaling is not supported.");
        int d = json.Int("hidden_size") ?? throw json.Missing("hidden_size");
        int heads = json.Int("num_attention_heads") ?? throw json.Missing("num_attention_heads");
        int dHead = json.Int("head_dim") ?? d / heads;
        return new ModelConfig
        {
            ModelName = name,
            Family = ModelFamily.Llama,
            NLayers = json.Int("num_hidden_layers") ?? throw json.Missing("num_hidden_layers"),
            DModel = d,
            NHeads = heads,
            DHead = dHead,
            NKeyValueHeads = json.Int("num_key_value_heads") ?? heads,
            DMlp = json.Int("intermediate_size") ?? throw json.Missing("intermediate_size"),
            DVocab = json.Int("vocab_size") ?? throw json.Missing("vocab_size"),
            NCtx = json.Int("max_position_embeddings") ?? 2048,
            ActFn = Activation(json, json.String("hidden_act") ?? "silu"),
            Eps = (float)(json.Double("rms_norm_eps") ?? 1e-6),
            TiedEmbeddings = json.Bool("tie_word_embeddings") ?? false,
            Normalization = NormalizationType.RMS,
            PositionalEmbedding = PositionalEmbeddingType.Rotary,
            RotaryDim = dHead,
            RotaryBase = (float)(json.Double("rope_theta") ?? 10000),
            GatedMlp = true,
        }.Validated();
    }

    /// <summary>GPT-NeoX / Pythia: parallel attention and MLP, partial rotary, exact GELU, untied unembedding.</summary>
    static ModelConfig NeoX(ConfigJson json, string name)
    {
        int d = json.Int("hidden_size") ?? throw json.Missing("hidden_size");
        int heads = json.Int("num_attention_heads") ?? throw json.Missing("num_attention_heads");
        int dHead = d / heads;
        double rotaryPct = json.Double("rotary_pct") ?? 1.0;
        return new ModelConfig
        {
            ModelName = name,
            Family = ModelFamily.NeoX,
            NLayers = json.Int("num_hidden_layers") ?? throw json.Missing("num_hidden_layers"),
            DModel = d,
            NHeads = heads,
            DMlp = json.Int("intermediate_size") ?? 4 * d,
            DVocab = json.Int("vocab_size") ?? throw json.Missing("vocab_size"),
            NCtx = json.Int("max_position_embeddings") ?? 2048,
            ActFn = Activation(json, json.String("hidden_act") ?? "gelu"),
            Eps = (float)(json.Double("layer_norm_eps") ?? 1e-5),
            TiedEmbeddings = json.Bool("tie_word_embeddings") ?? false,
            Normalization = NormalizationType.LN,
            PositionalEmbedding = PositionalEmbeddingType.Rotary,
            RotaryDim = (int)Math.Round(rotaryPct * dHead),
            RotaryBase = (float)(json.Double("rotary_emb_base") ?? json.Double("rope_theta") ?? 10000),
            ParallelAttnMlp = json.Bool("use_parallel_residual") ?? true,
        }.Validated();
    }

    internal static ActivationFunction Activation(ConfigJson json, string name) => name switch
    {
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => ActivationFunction.GeluNew,
        "gelu" => ActivationFunction.Gelu,
        "relu" => ActivationFunction.Relu,
        "silu" or "swish" => ActivationFunction.Silu,
        _ => throw new NotSupportedException($"{json.Path}: activation function \"{name}\" is not supported."),
    };

    /// <summary>Typed, null-tolerant access to config fields, with errors naming the file and field.</summary>
    internal sealed class ConfigJson(JsonElement root, string path)
    {
        public string Path => path;
        public JsonElement Root => root;

        /// <summary>True when the field is present and not null.</summary>
        public bool Has(string field) => Get(field) is not null;

        public InvalidDataException Missing(string field) => new($"{path} lacks the required field \"{field}\".");

        JsonElement? Get(string field)
            => root.TryGetProperty(field, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

        public string? String(string field) => Get(field) is { } v
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : throw Wrong(field, "a string") : null;

        public int? Int(string field) => Get(field) is { } v
            ? v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : throw Wrong(field, "an integer") : null;

        public double? Double(string field) => Get(field) is { } v
            ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : throw Wrong(field, "a number") : null;

        public bool? Bool(string field) => Get(field) is { } v
            ? v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : throw Wrong(field, "true or false") : null;

        InvalidDataException Wrong(string field, string expected) => new($"{path}: \"{field}\" must be {expected}.");
    }
}

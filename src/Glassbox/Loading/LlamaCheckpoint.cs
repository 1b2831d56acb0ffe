using Glassbox.Models;

namespace Glassbox.Loading;

/// <summary>
/// Maps Hugging Face <c>LlamaForCausalLM</c> tensors (also Mistral and Qwen2, which share the names;
/// q/k/v biases where present) to <see cref="TransformerWeights"/>. <c>nn.Linear</c> weights are
/// stored [out, in] and transposed to the [in, out] matrices the engine multiplies by.
/// </summary>
internal static class LlamaCheckpoint
{
    public static TransformerWeights Load(ModelConfig cfg, SafetensorsCheckpoint checkpoint)
    {
        var t = new TensorReader(checkpoint, checkpoint.Contains("model.embed_tokens.weight") ? "model." : "");
        int d = cfg.DModel, q = cfg.NHeads * cfg.DHead, kv = cfg.NKeyValueHeads * cfg.DHead, m = cfg.DMlp;
        float[] Linear(string name, int outDim, int inDim) => Gpt2Checkpoint.Transpose(t.Read(name, outDim, inDim), outDim, inDim);
        float[] OptionalBias(string name, int n) => checkpoint.Contains(t.FullName(name)) ? t.Read(name, n) : new float[n];

        var layers = new LayerWeights[cfg.NLayers];
        for (int l = 0; l < cfg.NLayers; l++)
        {
            string p = $"layers.{l}.";
            layers[l] = new LayerWeights
            {
                Ln1Weight = t.Read(p + "input_layernorm.weight", d),
                WQ = Linear(p + "self_attn.q_proj.weight", q, d),
                WK = Linear(p + "self_attn.k_proj.weight", kv, d),
                WV = Linear(p + "self_attn.v_proj.weight", kv, d),
                BQ = OptionalBias(p + "self_attn.q_proj.bias", q),
                BK = OptionalBias(p + "self_attn.k_proj.bias", kv),
                BV = OptionalBias(p + "self_attn.v_proj.bias", kv),
                WO = Linear(p + "self_attn.o_proj.weight", d, q),
                BO = OptionalBias(p + "self_attn.o_proj.bias", d),
                Ln2Weight = t.Read(p + "post_attention_layernorm.weight", d),
                WGate = Linear(p + "mlp.gate_proj.weight", m, d),
                WIn = Linear(p + "mlp.up_proj.weight", m, d),
                BIn = checkpoint.Contains(t.FullName(p + "mlp.up_proj.bias")) ? t.Read(p + "mlp.up_proj.bias", m) : null,
                WOut = Linear(p + "mlp.down_proj.weight", d, m),
                BOut = checkpoint.Contains(t.FullName(p + "mlp.down_proj.bias")) ? t.Read(p + "mlp.down_proj.bias", d) : null,
            };
            if (checkpoint.Contains(t.FullName(p + "mlp.gate_proj.bias")))
                throw new NotSupportedException($"{checkpoint.FileOf(t.FullName(p + "mlp.gate_proj.bias"))}: a bias on gate_proj is not supported.");
        }
        bool hasHead = checkpoint.Contains("lm_head.weight");
        if (!cfg.TiedEmbeddings && !hasHead)
            throw new InvalidDataException($"The checkpoint lacks tensor \"lm_head.weight\" and the config says the embeddings are not tied.");
        return new TransformerWeights
        {
            WE = t.Read("embed_tokens.weight", cfg.DVocab, d),
            Layers = layers,
            LnFinalWeight = t.Read("norm.weight", d),
            WU = cfg.TiedEmbeddings ? null : Gpt2Checkpoint.Transpose(t.ReadExact("lm_head.weight", cfg.DVocab, d), cfg.DVocab, d),
        };
    }
}

using Glassbox.Models;

namespace Glassbox.Loading;

/// <summary>
/// Hugging Face <c>GPTNeoXForCausalLM</c> (Pythia) tensors to <see cref="TransformerWeights"/>. The fused
/// <c>query_key_value</c> rows are interleaved per head: row <c>h·3·d_head + i·d_head + j</c> is component
/// i (q, k, v) of head h. Buffers such as <c>rotary_emb.inv_freq</c> or <c>attention.bias</c> are ignored.
/// </summary>
internal static class NeoXCheckpoint
{
    public static TransformerWeights Load(ModelConfig cfg, SafetensorsCheckpoint checkpoint)
    {
        var t = new TensorReader(checkpoint, checkpoint.Contains("gpt_neox.embed_in.weight") ? "gpt_neox." : "");
        int d = cfg.DModel, h = cfg.NHeads, dh = cfg.DHead, m = cfg.DMlp;
        float[] Linear(string name, int outDim, int inDim) => Gpt2Checkpoint.Transpose(t.Read(name, outDim, inDim), outDim, inDim);

        var layers = new LayerWeights[cfg.NLayers];
        for (int l = 0; l < cfg.NLayers; l++)
        {
            string p = $"layers.{l}.";
            var qkv = t.Read(p + "attention.query_key_value.weight", 3 * d, d);
            var qkvBias = t.Read(p + "attention.query_key_value.bias", 3 * d);
            (float[] W, float[] B) Component(int i)
            {
                // Gather the rows of component i ([heads·d_head, d_model], [out, in]) and transpose.
                var rows = new float[h * dh * d];
                var bias = new float[h * dh];
                for (int head = 0; head < h; head++)
                    for (int j = 0; j < dh; j++)
                    {
                        int src = head * 3 * dh + i * dh + j;
                        qkv.AsSpan(src * d, d).CopyTo(rows.AsSpan((head * dh + j) * d, d));
                        bias[head * dh + j] = qkvBias[src];
                    }
                return (Gpt2Checkpoint.Transpose(rows, h * dh, d), bias);
            }
            var (wq, bq) = Component(0);
            var (wk, bk) = Component(1);
            var (wv, bv) = Component(2);
            layers[l] = new LayerWeights
            {
                Ln1Weight = t.Read(p + "input_layernorm.weight", d),
                Ln1Bias = t.Read(p + "input_layernorm.bias", d),
                WQ = wq, WK = wk, WV = wv, BQ = bq, BK = bk, BV = bv,
                WO = Linear(p + "attention.dense.weight", d, d),
                BO = t.Read(p + "attention.dense.bias", d),
                Ln2Weight = t.Read(p + "post_attention_layernorm.weight", d),
                Ln2Bias = t.Read(p + "post_attention_layernorm.bias", d),
                WIn = Linear(p + "mlp.dense_h_to_4h.weight", m, d),
                BIn = t.Read(p + "mlp.dense_h_to_4h.bias", m),
                WOut = Linear(p + "mlp.dense_4h_to_h.weight", d, m),
                BOut = t.Read(p + "mlp.dense_4h_to_h.bias", d),
            };
        }
        return new TransformerWeights
        {
            WE = t.Read("embed_in.weight", cfg.DVocab, d),
            Layers = layers,
            LnFinalWeight = t.Read("final_layer_norm.weight", d),
            LnFinalBias = t.Read("final_layer_norm.bias", d),
            WU = cfg.TiedEmbeddings ? null : Gpt2Checkpoint.Transpose(t.ReadExact("embed_out.weight", cfg.DVocab, d), cfg.DVocab, d),
        };
    }
}

using Glassbox.Models;

namespace Glassbox.Loading;

/// <summary>
/// TransformerLens state-dict names and layouts (<c>embed.W_E</c>, <c>blocks.L.attn.W_Q</c>
/// [head, d_model, d_head], <c>unembed.W_U</c> [d_model, d_vocab], …) to <see cref="TransformerWeights"/>.
/// </summary>
internal static class TransformerLensCheckpoint
{
    public static TransformerWeights Load(ModelConfig cfg, SafetensorsCheckpoint checkpoint)
    {
        var t = new TensorReader(checkpoint, "");
        int d = cfg.DModel, h = cfg.NHeads, kv = cfg.NKeyValueHeads, dh = cfg.DHead, m = cfg.DMlp;
        float[]? Optional(string name, params long[] shape) => checkpoint.Contains(name) ? t.Read(name, shape) : null;
        // GQA state dicts name the key/value weights _W_K/_W_V (TransformerLens stores them ungrouped-free).
        string Kv(string l, string w) => checkpoint.Contains($"blocks.{l}.attn._{w}") ? $"blocks.{l}.attn._{w}" : $"blocks.{l}.attn.{w}";
        bool norms = cfg.NormHasWeights;

        var layers = new LayerWeights[cfg.NLayers];
        for (int l = 0; l < cfg.NLayers; l++)
        {
            string p = $"blocks.{l}.";
            layers[l] = new LayerWeights
            {
                Ln1Weight = norms ? t.Read(p + "ln1.w", d) : null,
                Ln1Bias = norms ? Optional(p + "ln1.b", d) : null,
                WQ = HeadsToColumns(t.Read(p + "attn.W_Q", h, d, dh), h, d, dh),
                WK = HeadsToColumns(t.Read(Kv($"{l}", "W_K"), kv, d, dh), kv, d, dh),
                WV = HeadsToColumns(t.Read(Kv($"{l}", "W_V"), kv, d, dh), kv, d, dh),
                BQ = Optional(p + "attn.b_Q", h, dh) ?? new float[h * dh],
                BK = Optional(Kv($"{l}", "b_K"), kv, dh) ?? new float[kv * dh],
                BV = Optional(Kv($"{l}", "b_V"), kv, dh) ?? new float[kv * dh],
                WO = t.Read(p + "attn.W_O", h, dh, d),
                BO = Optional(p + "attn.b_O", d) ?? new float[d],
                Ln2Weight = norms && !cfg.AttnOnly ? t.Read(p + "ln2.w", d) : null,
                Ln2Bias = norms && !cfg.AttnOnly ? Optional(p + "ln2.b", d) : null,
                WIn = cfg.AttnOnly ? null : t.Read(p + "mlp.W_in", d, m),
                WGate = cfg.AttnOnly || !cfg.GatedMlp ? null : t.Read(p + "mlp.W_gate", d, m),
                BIn = cfg.AttnOnly ? null : Optional(p + "mlp.b_in", m),
                WOut = cfg.AttnOnly ? null : t.Read(p + "mlp.W_out", m, d),
                BOut = cfg.AttnOnly ? null : Optional(p + "mlp.b_out", d),
            };
        }
        return new TransformerWeights
        {
            WE = t.Read("embed.W_E", cfg.DVocab, d),
            WPos = cfg.PositionalEmbedding == PositionalEmbeddingType.Rotary ? null : t.Read("pos_embed.W_pos", cfg.NCtx, d),
            Layers = layers,
            LnFinalWeight = norms ? t.Read("ln_final.w", d) : null,
            LnFinalBias = norms ? Optional("ln_final.b", d) : null,
            WU = t.Read("unembed.W_U", d, cfg.DVocab),
            BU = Optional("unembed.b_U", cfg.DVocab),
        };
    }

    /// <summary>[head, d_model, d_head] → [d_model, head·d_head].</summary>
    static float[] HeadsToColumns(float[] w, int heads, int d, int dh)
    {
        var result = new float[w.Length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < d; i++)
                w.AsSpan((h * d + i) * dh, dh).CopyTo(result.AsSpan((i * heads + h) * dh, dh));
        return result;
    }
}

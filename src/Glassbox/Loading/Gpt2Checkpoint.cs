using Glassbox.Models;

namespace Glassbox.Loading;

/// <summary>
/// Maps Hugging Face <c>GPT2LMHeadModel</c> tensors (with or without the <c>transformer.</c> prefix;
/// Conv1D weights stored [in, out]) to <see cref="TransformerWeights"/>.
/// </summary>
internal static class Gpt2Checkpoint
{
    public static TransformerWeights Load(ModelConfig cfg, SafetensorsCheckpoint checkpoint)
    {
        var t = new TensorReader(checkpoint, checkpoint.Contains("transformer.wte.weight") ? "transformer." : "");
        int d = cfg.DModel, dMlp = cfg.DMlp;
        var layers = new LayerWeights[cfg.NLayers];
        for (int l = 0; l < cfg.NLayers; l++)
        {
            string p = $"h.{l}.";
            // c_attn packs q | k | v along its output axis: split the [d, 3d] matrix into three [d, d].
            var qkv = t.Read(p + "attn.c_attn.weight", d, 3 * d);
            var qkvBias = t.Read(p + "attn.c_attn.bias", 3 * d);
            layers[l] = new LayerWeights
            {
                Ln1Weight = t.Read(p + "ln_1.weight", d),
                Ln1Bias = t.Read(p + "ln_1.bias", d),
                WQ = Columns(qkv, d, 3 * d, 0, d),
                WK = Columns(qkv, d, 3 * d, d, d),
                WV = Columns(qkv, d, 3 * d, 2 * d, d),
                BQ = qkvBias[..d],
                BK = qkvBias[d..(2 * d)],
                BV = qkvBias[(2 * d)..],
                WO = t.Read(p + "attn.c_proj.weight", d, d),
                BO = t.Read(p + "attn.c_proj.bias", d),
                Ln2Weight = t.Read(p + "ln_2.weight", d),
                Ln2Bias = t.Read(p + "ln_2.bias", d),
                WIn = t.Read(p + "mlp.c_fc.weight", d, dMlp),
                BIn = t.Read(p + "mlp.c_fc.bias", dMlp),
                WOut = t.Read(p + "mlp.c_proj.weight", dMlp, d),
                BOut = t.Read(p + "mlp.c_proj.bias", d),
            };
        }
        float[]? wu = null;
        if (!cfg.TiedEmbeddings || checkpoint.Contains("lm_head.weight"))
        {
            // lm_head is a Linear: [vocab, d]. Stored only when untied (or saved redundantly).
            var lmHead = t.ReadExact("lm_head.weight", cfg.DVocab, d);
            wu = Transpose(lmHead, cfg.DVocab, d);
        }
        return new TransformerWeights
        {
            WE = t.Read("wte.weight", cfg.DVocab, d),
            WPos = t.Read("wpe.weight", cfg.NCtx, d),
            Layers = layers,
            LnFinalWeight = t.Read("ln_f.weight", d),
            LnFinalBias = t.Read("ln_f.bias", d),
            WU = wu,
        };
    }

    internal static float[] Columns(float[] m, int rows, int cols, int start, int count)
    {
        var result = new float[rows * count];
        for (int r = 0; r < rows; r++) m.AsSpan(r * cols + start, count).CopyTo(result.AsSpan(r * count, count));
        return result;
    }

    internal static float[] Transpose(float[] m, int rows, int cols)
    {
        var result = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) result[c * rows + r] = m[r * cols + c];
        return result;
    }
}

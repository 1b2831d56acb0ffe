namespace Glassbox.Models;

/// <summary>
/// One block's parameters as flat float32 arrays. Projections are stored as the matrices the
/// forward pass multiplies by: W_Q/W_K/W_V as [d_model, heads·d_head] (TransformerLens's
/// [head, d_model, d_head] with the head axis moved next to d_head), W_O as [heads·d_head, d_model]
/// (the same memory as TransformerLens's [head, d_head, d_model]), W_in/W_gate [d_model, d_mlp],
/// W_out [d_mlp, d_model]. Absent parameters are null.
/// </summary>
public sealed class LayerWeights
{
    public float[]? Ln1Weight { get; set; }
    public float[]? Ln1Bias { get; set; }
    public required float[] WQ { get; set; }
    public required float[] WK { get; set; }
    public required float[] WV { get; set; }
    public required float[] BQ { get; set; }
    public required float[] BK { get; set; }
    public required float[] BV { get; set; }
    public required float[] WO { get; set; }
    public required float[] BO { get; set; }
    public float[]? Ln2Weight { get; set; }
    public float[]? Ln2Bias { get; set; }
    public float[]? WIn { get; set; }
    public float[]? WGate { get; set; }
    public float[]? BIn { get; set; }
    public float[]? WOut { get; set; }
    public float[]? BOut { get; set; }
}

/// <summary>All parameters of a model (see <see cref="LayerWeights"/> for the layouts).</summary>
public sealed class TransformerWeights
{
    /// <summary>[d_vocab, d_model]</summary>
    public required float[] WE { get; set; }
    /// <summary>[n_ctx, d_model], null without learned positions.</summary>
    public float[]? WPos { get; set; }
    public required LayerWeights[] Layers { get; init; }
    public float[]? LnFinalWeight { get; set; }
    public float[]? LnFinalBias { get; set; }
    /// <summary>[d_model, d_vocab]; null when tied to W_E (then W_U = W_Eᵀ).</summary>
    public float[]? WU { get; set; }
    /// <summary>[d_vocab], null for none.</summary>
    public float[]? BU { get; set; }

    /// <summary>W_U as its own [d_model, d_vocab] array, materialising the tied transpose if needed.</summary>
    public float[] UntiedUnembed(ModelConfig cfg)
    {
        if (WU is not null) return WU;
        var wu = new float[cfg.DModel * cfg.DVocab];
        for (int v = 0; v < cfg.DVocab; v++)
            for (int d = 0; d < cfg.DModel; d++)
                wu[d * cfg.DVocab + v] = WE[v * cfg.DModel + d];
        return wu;
    }

    /// <summary>Checks every array has the length the config implies, naming the parameter at fault.</summary>
    public void Validate(ModelConfig cfg)
    {
        int d = cfg.DModel, q = cfg.NHeads * cfg.DHead, kv = cfg.NKeyValueHeads * cfg.DHead;
        Check("W_E", WE, cfg.DVocab * d);
        if (cfg.PositionalEmbedding != PositionalEmbeddingType.Rotary) Check("W_pos", WPos, cfg.NCtx * d);
        for (int l = 0; l < Layers.Length; l++)
        {
            var w = Layers[l];
            string p = $"blocks.{l}.";
            if (cfg.NormHasWeights) Check(p + "ln1.w", w.Ln1Weight, d);
            Check(p + "attn.W_Q", w.WQ, d * q); Check(p + "attn.b_Q", w.BQ, q);
            Check(p + "attn.W_K", w.WK, d * kv); Check(p + "attn.b_K", w.BK, kv);
            Check(p + "attn.W_V", w.WV, d * kv); Check(p + "attn.b_V", w.BV, kv);
            Check(p + "attn.W_O", w.WO, q * d); Check(p + "attn.b_O", w.BO, d);
            if (cfg.AttnOnly) continue;
            if (cfg.NormHasWeights) Check(p + "ln2.w", w.Ln2Weight, d);
            Check(p + "mlp.W_in", w.WIn, d * cfg.DMlp);
            if (cfg.GatedMlp) Check(p + "mlp.W_gate", w.WGate, d * cfg.DMlp);
            Check(p + "mlp.W_out", w.WOut, cfg.DMlp * d);
            if (w.BIn is not null) Check(p + "mlp.b_in", w.BIn, cfg.DMlp);
            if (w.BOut is not null) Check(p + "mlp.b_out", w.BOut, d);
        }
        if (cfg.NormHasWeights) Check("ln_final.w", LnFinalWeight, d);
        if (WU is not null) Check("W_U", WU, d * cfg.DVocab);
        if (BU is not null) Check("b_U", BU, cfg.DVocab);
        if (Layers.Length != cfg.NLayers) throw new ArgumentException($"The config has {cfg.NLayers} layers but {Layers.Length} were given.");
    }

    static void Check(string name, float[]? values, int expected)
    {
        if (values is null) throw new ArgumentException($"Parameter {name} is missing.");
        if (values.Length != expected) throw new ArgumentException($"Parameter {name} has {values.Length} values; the config implies {expected}.");
    }
}

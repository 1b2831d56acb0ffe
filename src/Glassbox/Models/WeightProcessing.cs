namespace Glassbox.Models;

/// <summary>Which of TransformerLens's <c>from_pretrained</c> weight transformations to apply.</summary>
public sealed record ProcessingOptions
{
    /// <summary>Fold each norm's weight and bias into the matrices that read from it (norms become LNPre/RMSPre).</summary>
    public bool FoldLn { get; init; } = true;
    /// <summary>Remove the mean over d_model from everything that writes to the residual stream (LayerNorm models).</summary>
    public bool CenterWritingWeights { get; init; } = true;
    /// <summary>Remove the mean over the vocabulary from W_U and b_U (log-probabilities are unchanged).</summary>
    public bool CenterUnembed { get; init; } = true;
    /// <summary>Move b_V into b_O (pattern rows sum to one, so the output is unchanged).</summary>
    public bool FoldValueBiases { get; init; } = true;

    /// <summary>
    /// Give keys and values one head per query head (TransformerLens's
    /// <c>ungroup_grouped_query_attention</c>): hook_k/hook_v/hook_rot_k then have n_heads heads, each a
    /// copy of its group's key/value head. The outputs are unchanged. Off by default.
    /// </summary>
    public bool UngroupGroupedQueryAttention { get; init; }

    /// <summary>TransformerLens's defaults.</summary>
    public static ProcessingOptions Default { get; } = new();

    /// <summary>Raw, Hugging Face-faithful weights (<c>from_pretrained_no_processing</c>).</summary>
    public static ProcessingOptions None { get; } = new() { FoldLn = false, CenterWritingWeights = false, CenterUnembed = false, FoldValueBiases = false };

    public bool Any => FoldLn || CenterWritingWeights || CenterUnembed || FoldValueBiases || UngroupGroupedQueryAttention;
}

/// <summary>
/// TransformerLens's weight processing, on our layouts (see <see cref="LayerWeights"/>). Each step
/// leaves the model's log-probabilities unchanged; they make the weights easier to interpret.
/// Works on copies: the input weights are not modified.
/// </summary>
public static class WeightProcessing
{
    public static (ModelConfig Config, TransformerWeights Weights) Apply(ModelConfig config, TransformerWeights weights, ProcessingOptions options)
    {
        var cfg = config.Validated();
        if (!options.Any) return (cfg, weights);
        var w = DeepCopy(cfg, weights);
        if (options.UngroupGroupedQueryAttention && cfg.NKeyValueHeads != cfg.NHeads)
        {
            Ungroup(cfg, w);
            cfg = cfg with { NKeyValueHeads = cfg.NHeads };
        }
        if (!(options.FoldLn || options.CenterWritingWeights || options.CenterUnembed || options.FoldValueBiases)) return (cfg, w);
        // Every step below may change W_E or W_U independently, so the unembedding gets its own copy.
        w.WU = w.UntiedUnembed(cfg);
        cfg = cfg with { TiedEmbeddings = false };

        bool layerNorm = cfg.Normalization is NormalizationType.LN or NormalizationType.LNPre;
        if (options.FoldLn && cfg.NormHasWeights)
        {
            FoldLayerNorm(cfg, w, center: layerNorm);
            cfg = cfg with { Normalization = layerNorm ? NormalizationType.LNPre : NormalizationType.RMSPre };
        }
        if (options.CenterWritingWeights && layerNorm) CenterWritingWeights(cfg, w);
        if (options.CenterUnembed) CenterUnembed(cfg, w);
        if (options.FoldValueBiases) FoldValueBiases(cfg, w);
        return (cfg, w);
    }

    /// <summary>
    /// y = norm(x)·γ + β feeding x·W + b becomes norm(x)·(γ⊙W) + (b + β·W). With LayerNorm the
    /// input is centred, so each column's mean over d_model can be removed from W too.
    /// </summary>
    static void FoldLayerNorm(ModelConfig cfg, TransformerWeights w, bool center)
    {
        int d = cfg.DModel;
        foreach (var l in w.Layers)
        {
            l.BQ = FoldInto(l.WQ, l.BQ, l.Ln1Weight, l.Ln1Bias, d, center)!;
            l.BK = FoldInto(l.WK, l.BK, l.Ln1Weight, l.Ln1Bias, d, center)!;
            l.BV = FoldInto(l.WV, l.BV, l.Ln1Weight, l.Ln1Bias, d, center)!;
            l.Ln1Weight = l.Ln1Bias = null;
            if (cfg.AttnOnly) continue;
            l.BIn = FoldInto(l.WIn!, l.BIn, l.Ln2Weight, l.Ln2Bias, d, center);
            if (l.WGate is not null) FoldInto(l.WGate, null, l.Ln2Weight, null, d, center);
            l.Ln2Weight = l.Ln2Bias = null;
        }
        w.BU = FoldInto(w.WU!, w.BU, w.LnFinalWeight, w.LnFinalBias, d, center);
        w.LnFinalWeight = w.LnFinalBias = null;
    }

    /// <summary>Folds γ, β into W [d, n] (rows = d_model) and returns the new bias (null if there was none and β is absent).</summary>
    static float[]? FoldInto(float[] weight, float[]? bias, float[]? gamma, float[]? beta, int d, bool center)
    {
        int n = weight.Length / d;
        float[]? newBias = bias ?? (beta is null ? null : new float[n]);
        if (beta is not null)
        {
            var add = new double[n];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < n; j++) add[j] += (double)weight[i * n + j] * beta[i];
            for (int j = 0; j < n; j++) newBias![j] = (float)(newBias[j] + add[j]);
        }
        if (gamma is not null)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < n; j++) weight[i * n + j] *= gamma[i];
        if (center) CenterColumns(weight, d, n);
        return newBias;
    }

    /// <summary>Removes from W_E, W_pos, W_O, W_out and their biases the component along the all-ones direction of d_model.</summary>
    static void CenterWritingWeights(ModelConfig cfg, TransformerWeights w)
    {
        int d = cfg.DModel;
        CenterRows(w.WE, d);
        if (w.WPos is not null) CenterRows(w.WPos, d);
        foreach (var l in w.Layers)
        {
            CenterRows(l.WO, d);
            CenterRows(l.BO, d);
            if (cfg.AttnOnly) continue;
            CenterRows(l.WOut!, d);
            if (l.BOut is not null) CenterRows(l.BOut, d);
        }
    }

    static void CenterUnembed(ModelConfig cfg, TransformerWeights w)
    {
        CenterRows(w.WU!, cfg.DVocab);
        if (w.BU is not null) CenterRows(w.BU, cfg.DVocab);
    }

    /// <summary>b_O += Σ_h b_V[kv(h)]·W_O[h]; b_V = 0.</summary>
    static void FoldValueBiases(ModelConfig cfg, TransformerWeights w)
    {
        int d = cfg.DModel, dh = cfg.DHead, group = cfg.NHeads / cfg.NKeyValueHeads;
        foreach (var l in w.Layers)
        {
            var add = new double[d];
            for (int h = 0; h < cfg.NHeads; h++)
                for (int e = 0; e < dh; e++)
                {
                    double bv = l.BV[(h / group) * dh + e];
                    int row = (h * dh + e) * d;
                    for (int j = 0; j < d; j++) add[j] += bv * l.WO[row + j];
                }
            for (int j = 0; j < d; j++) l.BO[j] = (float)(l.BO[j] + add[j]);
            Array.Clear(l.BV);
        }
    }

    /// <summary>Repeats each key/value head's columns of W_K, W_V, b_K, b_V for the query heads of its group.</summary>
    static void Ungroup(ModelConfig cfg, TransformerWeights w)
    {
        int d = cfg.DModel, dh = cfg.DHead, heads = cfg.NHeads, kvHeads = cfg.NKeyValueHeads, group = heads / kvHeads;
        float[] Expand(float[] m, int rows)
        {
            var result = new float[rows * heads * dh];
            for (int r = 0; r < rows; r++)
                for (int h = 0; h < heads; h++)
                    m.AsSpan((r * kvHeads + h / group) * dh, dh).CopyTo(result.AsSpan((r * heads + h) * dh, dh));
            return result;
        }
        foreach (var l in w.Layers)
        {
            l.WK = Expand(l.WK, d);
            l.WV = Expand(l.WV, d);
            l.BK = Expand(l.BK, 1);
            l.BV = Expand(l.BV, 1);
        }
    }

    /// <summary>Subtracts each row's mean (rows of length <paramref name="n"/>).</summary>
    static void CenterRows(float[] m, int n)
    {
        for (int r = 0; r < m.Length / n; r++)
        {
            var row = m.AsSpan(r * n, n);
            double mean = 0;
            foreach (float v in row) mean += v;
            mean /= n;
            for (int j = 0; j < n; j++) row[j] = (float)(row[j] - mean);
        }
    }

    /// <summary>Subtracts each column's mean over the <paramref name="rows"/> rows.</summary>
    static void CenterColumns(float[] m, int rows, int n)
    {
        var mean = new double[n];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < n; j++) mean[j] += m[i * n + j];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < n; j++) m[i * n + j] = (float)(m[i * n + j] - mean[j] / rows);
    }

    static TransformerWeights DeepCopy(ModelConfig cfg, TransformerWeights w) => new()
    {
        WE = (float[])w.WE.Clone(),
        WPos = (float[]?)w.WPos?.Clone(),
        LnFinalWeight = (float[]?)w.LnFinalWeight?.Clone(),
        LnFinalBias = (float[]?)w.LnFinalBias?.Clone(),
        WU = (float[]?)w.WU?.Clone(),
        BU = (float[]?)w.BU?.Clone(),
        Layers = w.Layers.Select(l => new LayerWeights
        {
            Ln1Weight = (float[]?)l.Ln1Weight?.Clone(), Ln1Bias = (float[]?)l.Ln1Bias?.Clone(),
            WQ = (float[])l.WQ.Clone(), WK = (float[])l.WK.Clone(), WV = (float[])l.WV.Clone(),
            BQ = (float[])l.BQ.Clone(), BK = (float[])l.BK.Clone(), BV = (float[])l.BV.Clone(),
            WO = (float[])l.WO.Clone(), BO = (float[])l.BO.Clone(),
            Ln2Weight = (float[]?)l.Ln2Weight?.Clone(), Ln2Bias = (float[]?)l.Ln2Bias?.Clone(),
            WIn = (float[]?)l.WIn?.Clone(), WGate = (float[]?)l.WGate?.Clone(), BIn = (float[]?)l.BIn?.Clone(),
            WOut = (float[]?)l.WOut?.Clone(), BOut = (float[]?)l.BOut?.Clone(),
        }).ToArray(),
    };
}

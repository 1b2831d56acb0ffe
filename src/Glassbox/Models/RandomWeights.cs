namespace Glassbox.Models;

/// <summary>Seeded random weights for any config: for benchmarks, tests and shape exploration.</summary>
public static class RandomWeights
{
    /// <summary>Matrices ~ N(0, <paramref name="std"/>), biases ~ N(0, std/10), norm weights 1 + N(0, 0.1).</summary>
    public static TransformerWeights Create(ModelConfig config, int seed = 0, float std = 0.02f)
    {
        var cfg = config.Validated();
        var rng = new Random(seed);
        int d = cfg.DModel, q = cfg.NHeads * cfg.DHead, kv = cfg.NKeyValueHeads * cfg.DHead, m = cfg.DMlp;
        float[] Normal(int n, float s, float mean = 0)
        {
            var a = new float[n];
            for (int i = 0; i < n; i += 2)
            {
                // Box–Muller: two normals from two uniforms.
                double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
                double r = Math.Sqrt(-2 * Math.Log(u1));
                a[i] = mean + s * (float)(r * Math.Cos(2 * Math.PI * u2));
                if (i + 1 < n) a[i + 1] = mean + s * (float)(r * Math.Sin(2 * Math.PI * u2));
            }
            return a;
        }
        float[]? NormWeight() => cfg.NormHasWeights ? Normal(d, 0.1f, 1f) : null;
        float[]? NormBias() => cfg.Normalization == NormalizationType.LN ? Normal(d, std / 10) : null;
        var layers = Enumerable.Range(0, cfg.NLayers).Select(_ => new LayerWeights
        {
            Ln1Weight = NormWeight(), Ln1Bias = NormBias(),
            WQ = Normal(d * q, std), WK = Normal(d * kv, std), WV = Normal(d * kv, std),
            BQ = Normal(q, std / 10), BK = Normal(kv, std / 10), BV = Normal(kv, std / 10),
            WO = Normal(q * d, std), BO = Normal(d, std / 10),
            Ln2Weight = cfg.AttnOnly ? null : NormWeight(), Ln2Bias = cfg.AttnOnly ? null : NormBias(),
            WIn = cfg.AttnOnly ? null : Normal(d * m, std),
            WGate = cfg.AttnOnly || !cfg.GatedMlp ? null : Normal(d * m, std),
            BIn = cfg.AttnOnly ? null : Normal(m, std / 10),
            WOut = cfg.AttnOnly ? null : Normal(m * d, std),
            BOut = cfg.AttnOnly ? null : Normal(d, std / 10),
        }).ToArray();
        return new TransformerWeights
        {
            WE = Normal(cfg.DVocab * d, std),
            WPos = cfg.PositionalEmbedding == PositionalEmbeddingType.Rotary ? null : Normal(cfg.NCtx * d, std),
            Layers = layers,
            LnFinalWeight = NormWeight(),
            LnFinalBias = NormBias(),
            WU = cfg.TiedEmbeddings ? null : Normal(d * cfg.DVocab, std),
            BU = cfg.TiedEmbeddings ? null : Normal(cfg.DVocab, std / 10),
        };
    }
}

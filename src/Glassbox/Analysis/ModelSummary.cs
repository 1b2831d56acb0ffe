using Glassbox.Hooks;
using Glassbox.Models;

namespace Glassbox.Analysis;

/// <summary>Parameters and float32 bytes of one part of a model.</summary>
public readonly record struct LayerInfo(string Name, long Parameters, long Bytes);

/// <summary>Layer-by-layer parameter counts and memory, and the activation memory of a run.</summary>
public static class ModelSummary
{
    public static IReadOnlyList<LayerInfo> Layers(HookedTransformer model)
    {
        var w = model.Weights;
        static long Count(params float[]?[] arrays) => arrays.Sum(a => (long)(a?.Length ?? 0));
        var rows = new List<LayerInfo>
        {
            Info("embed", Count(w.WE)),
        };
        if (w.WPos is not null) rows.Add(Info("pos_embed", Count(w.WPos)));
        for (int l = 0; l < w.Layers.Length; l++)
        {
            var x = w.Layers[l];
            rows.Add(Info($"blocks.{l}", Count(x.Ln1Weight, x.Ln1Bias, x.WQ, x.WK, x.WV, x.BQ, x.BK, x.BV, x.WO, x.BO,
                x.Ln2Weight, x.Ln2Bias, x.WIn, x.WGate, x.BIn, x.WOut, x.BOut)));
        }
        rows.Add(Info("ln_final", Count(w.LnFinalWeight, w.LnFinalBias)));
        rows.Add(Info("unembed", Count(w.WU, w.BU)));
        return rows;
    }

    /// <summary>Bytes the weights take as float32 (tied unembedding counted once).</summary>
    public static long WeightBytes(HookedTransformer model) => Layers(model).Sum(l => l.Bytes);

    /// <summary>Bytes a cache of <paramref name="names"/> would take for a batch × pos run.</summary>
    public static long ActivationBytes(HookedTransformer model, HookFilter names, int batch, int pos) => model.EstimateCacheBytes(names, batch, pos);

    static LayerInfo Info(string name, long parameters) => new(name, parameters, parameters * sizeof(float));
}

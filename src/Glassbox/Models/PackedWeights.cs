using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>
/// The projection matrices in the GEMM's panel layout, packed once when the model is built.
/// Per-head slices (for the gated per-head paths) are packed on first use.
/// </summary>
internal sealed class PackedLayer
{
    readonly ModelConfig _cfg;
    readonly LayerWeights _w;
    PackedMatrix[]? _qHeads, _kHeads, _vHeads, _oHeads;

    public PackedLayer(ModelConfig cfg, LayerWeights w)
    {
        _cfg = cfg;
        _w = w;
        int d = cfg.DModel, q = cfg.NHeads * cfg.DHead, kv = cfg.NKeyValueHeads * cfg.DHead;
        Q = PackedMatrix.Pack(w.WQ, d, q);
        K = PackedMatrix.Pack(w.WK, d, kv);
        V = PackedMatrix.Pack(w.WV, d, kv);
        O = PackedMatrix.Pack(w.WO, q, d);
        if (!cfg.AttnOnly)
        {
            In = PackedMatrix.Pack(w.WIn, d, cfg.DMlp);
            Gate = w.WGate is null ? null : PackedMatrix.Pack(w.WGate, d, cfg.DMlp);
            Out = PackedMatrix.Pack(w.WOut, cfg.DMlp, d);
        }
    }

    public PackedMatrix Q { get; }
    public PackedMatrix K { get; }
    public PackedMatrix V { get; }
    public PackedMatrix O { get; }
    public PackedMatrix? In { get; }
    public PackedMatrix? Gate { get; }
    public PackedMatrix? Out { get; }

    /// <summary>W_Q[:, h] as [d_model, d_head].</summary>
    public PackedMatrix QHead(int h) => (_qHeads ??= ColumnBlocks(_w.WQ, _cfg.NHeads))[h];
    public PackedMatrix KHead(int h) => (_kHeads ??= ColumnBlocks(_w.WK, _cfg.NKeyValueHeads))[h];
    public PackedMatrix VHead(int h) => (_vHeads ??= ColumnBlocks(_w.WV, _cfg.NKeyValueHeads))[h];

    /// <summary>W_O[h] as [d_head, d_model] (contiguous rows of W_O).</summary>
    public PackedMatrix OHead(int h)
    {
        _oHeads ??= Enumerable.Range(0, _cfg.NHeads)
            .Select(i => PackedMatrix.Pack(_w.WO.AsSpan(i * _cfg.DHead * _cfg.DModel, _cfg.DHead * _cfg.DModel), _cfg.DHead, _cfg.DModel))
            .ToArray();
        return _oHeads[h];
    }

    PackedMatrix[] ColumnBlocks(float[] w, int heads)
    {
        int d = _cfg.DModel, dh = _cfg.DHead, width = heads * dh;
        var result = new PackedMatrix[heads];
        var block = new float[d * dh];
        for (int h = 0; h < heads; h++)
        {
            for (int r = 0; r < d; r++) w.AsSpan(r * width + h * dh, dh).CopyTo(block.AsSpan(r * dh, dh));
            result[h] = PackedMatrix.Pack(block, d, dh);
        }
        return result;
    }
}

internal sealed class PackedWeights
{
    public PackedWeights(ModelConfig cfg, TransformerWeights w)
    {
        Layers = w.Layers.Select(l => new PackedLayer(cfg, l)).ToArray();
        Unembed = w.WU is null
            ? PackedMatrix.PackTransposed(w.WE, cfg.DModel, cfg.DVocab)
            : PackedMatrix.Pack(w.WU, cfg.DModel, cfg.DVocab);
    }

    public PackedLayer[] Layers { get; }
    public PackedMatrix Unembed { get; }
}

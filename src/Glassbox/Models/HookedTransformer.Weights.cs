using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>
/// Weight accessors in TransformerLens's shapes (copies; the engine keeps its own layouts, see
/// <see cref="LayerWeights"/>): W_Q/W_K/W_V [layer, head, d_model, d_head], W_O [layer, head, d_head, d_model],
/// W_in/W_gate [layer, d_model, d_mlp], W_out [layer, d_mlp, d_model], W_E, W_pos, W_U and the biases.
/// </summary>
public sealed partial class HookedTransformer
{
    public Tensor W_E => Tensor.FromSpan(Weights.WE, Config.DVocab, Config.DModel);
    public Tensor W_pos => Tensor.FromSpan(Weights.WPos ?? throw new InvalidOperationException($"'{Config.ModelName}' has no learned positional embedding."), Config.NCtx, Config.DModel);
    public Tensor W_U => Tensor.FromSpan(Weights.UntiedUnembed(Config), Config.DModel, Config.DVocab);
    public Tensor b_U => Weights.BU is { } b ? Tensor.FromSpan(b, Config.DVocab) : Tensor.Zeros(Config.DVocab);

    public Tensor W_Q => PerHead(l => l.WQ, Config.NHeads);
    public Tensor W_K => PerHead(l => l.WK, Config.NKeyValueHeads);
    public Tensor W_V => PerHead(l => l.WV, Config.NKeyValueHeads);
    public Tensor W_O => Stack(l => l.WO, Config.NHeads, Config.DHead, Config.DModel);
    public Tensor b_Q => Stack(l => l.BQ, Config.NHeads, Config.DHead);
    public Tensor b_K => Stack(l => l.BK, Config.NKeyValueHeads, Config.DHead);
    public Tensor b_V => Stack(l => l.BV, Config.NKeyValueHeads, Config.DHead);
    public Tensor b_O => Stack(l => l.BO, Config.DModel);
    public Tensor W_in => Stack(l => Mlp(l.WIn), Config.DModel, Config.DMlp);
    public Tensor W_gate => Stack(l => Mlp(l.WGate), Config.DModel, Config.DMlp);
    public Tensor W_out => Stack(l => Mlp(l.WOut), Config.DMlp, Config.DModel);
    public Tensor b_in => Stack(l => l.BIn ?? new float[Config.DMlp], Config.DMlp);
    public Tensor b_out => Stack(l => l.BOut ?? new float[Config.DModel], Config.DModel);

    float[] Mlp(float[]? w) => w ?? throw new InvalidOperationException($"'{Config.ModelName}' has no such MLP weight (attention-only or not gated).");

    /// <summary>[d_model, heads·d_head] per layer → [layer, head, d_model, d_head].</summary>
    Tensor PerHead(Func<LayerWeights, float[]> pick, int heads)
    {
        int d = Config.DModel, dh = Config.DHead;
        var t = Tensor.Zeros(Config.NLayers, heads, d, dh);
        for (int l = 0; l < Config.NLayers; l++)
        {
            var w = pick(Weights.Layers[l]);
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < d; i++)
                    w.AsSpan((i * heads + h) * dh, dh).CopyTo(t.Span.Slice(((l * heads + h) * d + i) * dh, dh));
        }
        return t;
    }

    /// <summary>Each layer's array as one slice of a [layer, ...] tensor (same memory order).</summary>
    Tensor Stack(Func<LayerWeights, float[]> pick, params int[] shape)
    {
        var t = Tensor.Zeros([Config.NLayers, .. shape]);
        for (int l = 0; l < Config.NLayers; l++) pick(Weights.Layers[l]).CopyTo(t[l].Span);
        return t;
    }
}

using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Models;

internal sealed partial class ForwardPass
{
    /// <summary>ln2, then the MLP (plain or gated); fires pre, pre_linear, post and mlp_out.</summary>
    Tensor Mlp(int layer, Tensor mlpIn)
    {
        var lw = _w.Layers[layer];
        var pl = _packed.Layers[layer];
        int dMlp = _cfg.DMlp;
        var x = Norm(layer, CatalogIndex.Ln2Scale, CatalogIndex.Ln2Normalized, lw.Ln2Weight, lw.Ln2Bias, mlpIn);

        var pre = _arena.Rent(_batch, _seq, dMlp);
        Tensor? preLinear = null;
        if (_cfg.GatedMlp)
        {
            // TransformerLens: hook_pre is the gate projection, hook_pre_linear the up projection.
            Gemm.Multiply(x.Span, Rows, pl.Gate!, pre.Span);
            pre = Fire(layer, CatalogIndex.MlpPre, pre);
            preLinear = _arena.Rent(_batch, _seq, dMlp);
            Gemm.Multiply(x.Span, Rows, pl.In!, preLinear.Span, lw.BIn);
            preLinear = Fire(layer, CatalogIndex.MlpPreLinear, preLinear);
        }
        else
        {
            Gemm.Multiply(x.Span, Rows, pl.In!, pre.Span, lw.BIn);
            pre = Fire(layer, CatalogIndex.MlpPre, pre);
        }

        var post = _arena.Rent(_batch, _seq, dMlp);
        Activate(pre.Span, post.Span);
        if (preLinear is not null) System.Numerics.Tensors.TensorPrimitives.Multiply(post.Span, preLinear.Span, post.Span);
        post = Fire(layer, CatalogIndex.MlpPost, post);

        var mlpOut = _arena.Rent(_batch, _seq, _cfg.DModel);
        Gemm.Multiply(post.Span, Rows, pl.Out!, mlpOut.Span, lw.BOut);
        return Fire(layer, CatalogIndex.MlpOut, mlpOut);
    }

    void Activate(ReadOnlySpan<float> pre, Span<float> post)
    {
        switch (_cfg.ActFn)
        {
            case ActivationFunction.GeluNew:
                {
                    using var scratch = _arena.Pool.Rent([pre.Length]);
                    Activations.GeluNew(pre, post, scratch.Span);
                    break;
                }
            case ActivationFunction.Gelu:
                Activations.Gelu(pre, post);
                break;
            case ActivationFunction.Relu:
                Activations.Relu(pre, post);
                break;
            case ActivationFunction.Silu:
                {
                    using var scratch = _arena.Pool.Rent([pre.Length]);
                    Activations.Silu(pre, post, scratch.Span);
                    break;
                }
        }
    }
}

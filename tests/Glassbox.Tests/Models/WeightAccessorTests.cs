using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Models;

/// <summary>Weights in TransformerLens's shapes reproduce the activations they make.</summary>
public class WeightAccessorTests
{
    [Fact]
    public void TransformerLensShapedWeightsReproduceQAndZ()
    {
        var model = HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("llama-tiny"));
        model.W_Q.Shape.ToArray().Should().Equal(2, 4, 64, 16);
        model.W_K.Shape.ToArray().Should().Equal(2, 2, 64, 16);
        model.W_O.Shape.ToArray().Should().Equal(2, 4, 16, 64);
        model.W_in.Shape.ToArray().Should().Equal(2, 64, 172);
        model.W_U.Shape.ToArray().Should().Equal(64, 97);
        var tokens = IntTensor.FromSequence(3, 1, 4);
        var (_, cache) = model.RunWithCache(tokens, HookFilter.Where(n => !n.Contains("_input") && !n.EndsWith("hook_attn_in")));
        using (cache)
        {
            // q[p, h] = x[p] · W_Q[layer, h] + b_Q[layer, h], with x = ln1 output (normalized · weight).
            var x = cache["blocks.1.ln1.hook_normalized"];
            var wq = model.W_Q[1];
            var lnWeight = model.Weights.Layers[1].Ln1Weight!;
            for (int h = 0; h < 4; h++)
                for (int e = 0; e < 16; e++)
                {
                    double q = model.b_Q[1, h, e];
                    for (int i = 0; i < 64; i++) q += x[0, 2, i] * lnWeight[i] * wq[h, i, e];
                    cache["q", 1][0, 2, h, e].Should().BeApproximately((float)q, 1e-4f);
                }
            // result[p, h] = z[p, h] · W_O[layer, h].
            var wo = model.W_O[0];
            for (int j = 0; j < 64; j += 7)
            {
                double r = 0;
                for (int e = 0; e < 16; e++) r += cache["z", 0][0, 1, 3, e] * wo[3, e, j];
                cache["result", 0][0, 1, 3, j].Should().BeApproximately((float)r, 1e-5f);
            }
        }
    }

    [Fact]
    public void MissingWeightsAreNamed()
    {
        var model = InductionDemoModel.Create();
        var act = () => model.W_in;
        act.Should().Throw<InvalidOperationException>().WithMessage("*induction-demo*no such MLP weight*");
    }
}

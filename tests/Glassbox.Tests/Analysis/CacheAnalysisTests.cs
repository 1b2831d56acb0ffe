using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Tests.Analysis;

/// <summary>The residual-stream identities every decomposition must satisfy, on raw and processed weights.</summary>
public class CacheAnalysisTests
{
    static readonly Lazy<HookedTransformer> Raw = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    static readonly Lazy<HookedTransformer> Processed = new(() => HookedTransformer.FromPretrained(SharedFiles.Reference("gpt2-tiny")));
    static readonly IntTensor Tokens = new([5, 17, 42, 3, 96, 0, 11, 64, 8, 23, 7, 7], 2, 6);

    public static TheoryData<bool> Both => new() { false, true };

    static (HookedTransformer, Tensor, ActivationCache) Run(bool processed)
    {
        var model = processed ? Processed.Value : Raw.Value;
        var (logits, cache) = model.RunWithCache(Tokens);
        return (model, logits, cache);
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void DecomposeResidSumsToTheResidualStream(bool processed)
    {
        var (_, _, cache) = Run(processed);
        using (cache)
        {
            var one = cache.DecomposeResid(layer: 1);
            one.Labels.Should().Equal("embed", "pos_embed", "0_attn_out", "0_mlp_out");
            one.Sum().MaxAbsDifference(cache["resid_pre", 1]).Should().BeLessThan(1e-5f);
            cache.DecomposeResid().Sum().MaxAbsDifference(cache["resid_post", 1]).Should().BeLessThan(1e-5f);
            cache.DecomposeResid(layer: 1, mlpInput: true).Sum().MaxAbsDifference(cache["resid_mid", 1]).Should().BeLessThan(1e-5f);
            cache.DecomposeResid(mode: ResidMode.Attention).Labels.Should().Equal("embed", "pos_embed", "0_attn_out", "1_attn_out");
        }
    }

    [Fact]
    public void AccumulatedResidIsTheCachedResidualStreams()
    {
        var (_, _, cache) = Run(false);
        using (cache)
        {
            var acc = cache.AccumulatedResid(inclMid: true);
            acc.Labels.Should().Equal("0_pre", "0_mid", "1_pre", "1_mid", "final_post");
            acc["1_mid"].MaxAbsDifference(cache["resid_mid", 1]).Should().Be(0f);
            acc["final_post"].MaxAbsDifference(cache["resid_post", 1]).Should().Be(0f);
            cache.AccumulatedResid(layer: 1).Labels.Should().Equal("0_pre", "1_pre");
            cache.AccumulatedResid(layer: 1, mlpInput: true).Labels.Should().Equal("0_pre", "1_pre", "1_mid");
            var atLast = cache.AccumulatedResid(layer: 0, position: -1);
            atLast.Components.Shape.ToArray().Should().Equal(1, 2, 64);
            atLast.Components[0][1].Span.ToArray().Should().Equal(cache["resid_pre", 0][1][5].Span.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void TheFullDecompositionSumsToTheFinalResidual(bool processed)
    {
        var (_, _, cache) = Run(processed);
        using (cache)
        {
            var full = cache.GetFullResidDecomposition();
            full.Labels.Should().HaveCount(2 + 2 * 4 + 2 + 1).And.Contain(["L1H3", "bias", "1_mlp_out"]);
            full.Sum().MaxAbsDifference(cache["resid_post", 1]).Should().BeLessThan(1e-4f);
            var neurons = cache.GetFullResidDecomposition(expandNeurons: true);
            neurons.Labels.Should().HaveCount(2 + 2 * 4 + 2 * 256 + 1);
            neurons.Sum().MaxAbsDifference(cache["resid_post", 1]).Should().BeLessThan(1e-4f);
        }
    }

    [Fact]
    public void StackedHeadResultsAreTheModelsHookResult()
    {
        var model = Raw.Value;
        var (_, cache) = model.RunWithCache(Tokens, HookFilter.Everything);
        var (_, zOnly) = model.RunWithCache(Tokens);
        using (cache) using (zOnly)
        {
            zOnly.ComputeHeadResults();
            zOnly["result", 1].MaxAbsDifference(cache["result", 1]).Should().BeLessThan(1e-6f);
            var heads = zOnly.StackHeadResults(inclRemainder: true);
            heads.Labels.Should().HaveCount(9).And.EndWith("remainder");
            heads.Sum().MaxAbsDifference(cache["resid_post", 1]).Should().BeLessThan(1e-5f);
            heads["L0H2"][1][3].MaxAbsDifference(cache["result", 0][1][3][2]).Should().BeLessThan(1e-6f);
        }
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void DirectLogitAttributionsAddUpToTheLogits(bool processed)
    {
        var (model, logits, cache) = Run(processed);
        using (cache)
        {
            int[] answers = [Tokens[0, 5], 40];
            var full = cache.GetFullResidDecomposition();
            var attrs = cache.LogitAttrs(full, answers, position: -1);
            attrs.Shape.ToArray().Should().Equal(full.Count, 2);
            var directions = model.TokensToResidualDirections(answers);
            for (int b = 0; b < 2; b++)
            {
                float constant = (model.Weights.BU?[answers[b]] ?? 0f)
                    + (model.Weights.LnFinalBias is { } beta ? TensorPrimitives.Dot(beta, directions[b].Span) : 0f);
                float sum = Enumerable.Range(0, full.Count).Sum(c => attrs[c, b]);
                (sum + constant).Should().BeApproximately(logits[b, 5, answers[b]], 1e-4f, $"batch {b}");
            }
            var diff = cache.LogitAttrs(full, answers, incorrectTokens: [1, 2]);
            float expected = Enumerable.Range(0, full.Count).Sum(c => attrs[c, 0]) - Enumerable.Range(0, full.Count).Sum(c => cache.LogitAttrs(full, [1, 2])[c, 0]);
            Enumerable.Range(0, full.Count).Sum(c => diff[c, 0]).Should().BeApproximately(expected, 1e-4f);
        }
    }

    [Fact]
    public void ApplyLnToStackReproducesTheFinalNormOutput()
    {
        var (model, _, cache) = Run(false);
        using (cache)
        {
            var final = cache.ApplyLnToStack(cache.AccumulatedResid(), 2);
            var scaled = final["final_post"].Clone();
            var beta = model.Weights.LnFinalBias!;
            for (int r = 0; r < scaled.Length / 64; r++) TensorPrimitives.Add(scaled.Span.Slice(r * 64, 64), beta, scaled.Span.Slice(r * 64, 64));
            scaled.MaxAbsDifference(cache["unembed.hook_in"]).Should().BeLessThan(1e-5f);
            var ln1 = cache.ApplyLnToStack(cache.AccumulatedResid(layer: 1), 1);
            var ln1Expected = cache["blocks.1.ln1.hook_normalized"].Clone();
            for (int r = 0; r < ln1Expected.Length / 64; r++) TensorPrimitives.Multiply(ln1Expected.Span.Slice(r * 64, 64), model.Weights.Layers[1].Ln1Weight!, ln1Expected.Span.Slice(r * 64, 64));
            ln1["1_pre"].MaxAbsDifference(ln1Expected).Should().BeLessThan(1e-5f);
        }
    }

    [Theory]
    [MemberData(nameof(Both))]
    public void TheLogitLensEndsAtTheLogits(bool processed)
    {
        var (_, logits, cache) = Run(processed);
        using (cache)
        {
            var lens = cache.LogitLens(position: 3);
            lens.Shape.ToArray().Should().Equal(3, 2, 97);
            for (int b = 0; b < 2; b++) lens[2][b].MaxAbsDifference(logits[b][3]).Should().BeLessThan(1e-4f);
        }
    }

    [Fact]
    public void NeuronAttributionsEqualTheMaterialisedStackWithoutBuildingIt()
    {
        var (model, _, cache) = Run(false);
        using (cache)
        {
            int[] answers = [9, 30];
            var projected = cache.NeuronAttributions(model.TokensToResidualDirections(answers), position: 4);
            var materialised = cache.LogitAttrs(cache.StackNeuronResults(), answers, position: 4);
            projected.Components.MaxAbsDifference(materialised).Should().BeLessThan(1e-5f);
            projected.Labels[256].Should().Be("L1N0");
        }
    }

    [Fact]
    public void ResidualDirectionsAreUnembeddingColumns()
    {
        var model = Processed.Value;
        var directions = model.TokensToResidualDirections([3, 50]);
        for (int j = 0; j < 64; j++) directions[1, j].Should().Be(model.Weights.WU![j * 97 + 50]);
        var act = () => model.TokensToResidualDirections([97]);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*97*");
    }
}

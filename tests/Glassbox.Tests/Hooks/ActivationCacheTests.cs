using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Hooks;

public class ActivationCacheTests
{
    readonly HookedTransformer _model = TinyModel.Create();
    readonly IntTensor _tokens = new([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 2, 5);

    [Fact]
    public void ResidualStreamIdentitiesHold()
    {
        var (_, cache) = _model.RunWithCache(_tokens, HookFilter.Everything);
        using (cache)
        {
            for (int l = 0; l < 3; l++)
            {
                Add(cache["resid_pre", l], cache["attn_out", l]).MaxAbsDifference(cache["resid_mid", l]).Should().BeLessThan(1e-6f);
                Add(cache["resid_mid", l], cache["mlp_out", l]).MaxAbsDifference(cache["resid_post", l]).Should().BeLessThan(1e-6f);
                if (l < 2) cache["resid_post", l].MaxAbsDifference(cache["resid_pre", l + 1]).Should().Be(0f);
                // attn_out = Σ_h result + b_O
                var result = cache["result", l];
                var sum = Tensor.Zeros(2, 5, 32);
                for (int b = 0; b < 2; b++)
                    for (int p = 0; p < 5; p++)
                    {
                        _model.Weights.Layers[l].BO.CopyTo(sum[b][p].Span);
                        for (int h = 0; h < 4; h++) System.Numerics.Tensors.TensorPrimitives.Add(sum[b][p].Span, result[b][p][h].Span, sum[b][p].Span);
                    }
                sum.MaxAbsDifference(cache["attn_out", l]).Should().BeLessThan(1e-5f);
            }
            Add(cache["hook_embed"], cache["hook_pos_embed"]).MaxAbsDifference(cache["resid_pre", 0]).Should().Be(0f);
        }
    }

    [Fact]
    public void MaskedScoresAreMinusInfinityAndTheirPatternZero()
    {
        var (_, cache) = _model.RunWithCache(_tokens, "blocks.*.attn.hook_*");
        using (cache)
        {
            var scores = cache["attn_scores", 0];
            var pattern = cache["pattern", 0];
            for (int b = 0; b < 2; b++)
                for (int h = 0; h < 4; h++)
                    for (int i = 0; i < 5; i++)
                    {
                        float rowSum = 0;
                        for (int j = 0; j < 5; j++)
                        {
                            if (j > i)
                            {
                                float.IsNegativeInfinity(scores[b, h, i, j]).Should().BeTrue();
                                pattern[b, h, i, j].Should().Be(0f);
                            }
                            rowSum += pattern[b, h, i, j];
                        }
                        rowSum.Should().BeApproximately(1f, 1e-6f);
                    }
        }
    }

    [Fact]
    public void ShorthandsResolveLikeTransformerLens()
    {
        var (_, cache) = _model.RunWithCache(_tokens, HookFilter.Everything);
        using (cache)
        {
            cache["pattern", 1].Should().BeSameAs(cache["blocks.1.attn.hook_pattern"]);
            cache["q2"].Should().BeSameAs(cache["blocks.2.attn.hook_q"]);
            cache[("resid_post", -1)].Should().BeSameAs(cache["blocks.2.hook_resid_post"]);
            cache["scale", 0, "ln1"].Should().BeSameAs(cache["blocks.0.ln1.hook_scale"]);
            cache["scale"].Should().BeSameAs(cache["ln_final.hook_scale"]);
            cache["embed"].Should().BeSameAs(cache["hook_embed"]);
            cache["pre", 0].Should().BeSameAs(cache["blocks.0.mlp.hook_pre"]);
            cache[Act.Pattern(2)].Should().BeSameAs(cache["pattern", 2]);
        }
        ActName.Resolve("attn", 3).Should().Be("blocks.3.attn.hook_pattern");
        ActName.Resolve("normalized", 1, "ln2").Should().Be("blocks.1.ln2.hook_normalized");
        ActName.Resolve("resid_pre", -1, nLayers: 12).Should().Be("blocks.11.hook_resid_pre");
        ActName.Resolve("blocks.0.hook_resid_pre").Should().Be("blocks.0.hook_resid_pre");
    }

    [Fact]
    public void MissingKeysExplainThemselves()
    {
        var (_, cache) = _model.RunWithCache(_tokens, "blocks.0.*");
        using (cache)
        {
            var notCached = () => cache["pattern", 1];
            notCached.Should().Throw<KeyNotFoundException>().WithMessage("*blocks.1.attn.hook_pattern*not cached*");
            var notAPoint = () => cache["pattrn", 1];
            notAPoint.Should().Throw<KeyNotFoundException>().WithMessage("*not a hook point*");
        }
    }

    [Fact]
    public void SizeInBytesIsWhatItHoldsAndWhatTheEstimateSaid()
    {
        var (_, cache) = _model.RunWithCache(_tokens, "blocks.*.attn.hook_pattern");
        using (cache)
        {
            cache.Count.Should().Be(3);
            cache.SizeInBytes.Should().Be(3L * 2 * 4 * 5 * 5 * sizeof(float));
            _model.EstimateCacheBytes("blocks.*.attn.hook_pattern", 2, 5).Should().Be(cache.SizeInBytes);
        }
    }

    [Fact]
    public void TheCacheRecordsTheValueAfterEarlierEditingHooks()
    {
        using var edit = _model.AddHook("blocks.0.hook_attn_out", Hook.Of(t => t.Fill(1f)));
        var (_, cache) = _model.RunWithCache(_tokens, "blocks.0.hook_attn_out");
        using (cache) cache["attn_out", 0].Span.ToArray().Should().OnlyContain(v => v == 1f);
    }

    [Fact]
    public void CachedTensorsAreCopiesThatOutliveTheRun()
    {
        var (_, first) = _model.RunWithCache(_tokens, "hook_embed");
        var kept = first["hook_embed"].ToArray();
        var (_, second) = _model.RunWithCache(IntTensor.FromSequence(40, 41), "hook_embed");
        using (first) using (second) first["hook_embed"].ToArray().Should().Equal(kept);
    }

    static Tensor Add(Tensor a, Tensor b)
    {
        var r = a.Clone();
        System.Numerics.Tensors.TensorPrimitives.Add(r.Span, b.Span, r.Span);
        return r;
    }
}

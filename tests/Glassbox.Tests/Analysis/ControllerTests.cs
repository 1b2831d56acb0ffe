using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Analysis;

public class ControllerTests
{
    static readonly Lazy<HookedTransformer> Tiny = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    static readonly IntTensor Tokens = new([5, 17, 42, 17, 96, 0, 17, 64, 8, 23], 2, 5);

    static Tensor Cached(ForwardOptions options, string name = "blocks.0.hook_resid_post")
    {
        var (_, cache) = Tiny.Value.RunWithCache(Tokens, name, options);
        using (cache) return cache[name].Clone();
    }

    [Fact]
    public void ConditionsDecideWhetherAHookRuns()
    {
        var clear = Hook.Of(t => t.Clear());
        var onlyLayerOne = Controllers.When((_, c) => c.Layer == 1, clear);
        var cache = Cached(new ForwardOptions { Hooks = [("blocks.*.hook_resid_post", onlyLayerOne)] });
        cache.Span.ToArray().Should().Contain(v => v != 0f, "layer 0 is untouched");
        Cached(new ForwardOptions { Hooks = [("blocks.*.hook_resid_post", onlyLayerOne)] }, "blocks.1.hook_resid_post").Span.ToArray().Should().OnlyContain(v => v == 0f);
    }

    [Fact]
    public void BatchTokenAndValueConditionsSelectWhatIsEdited()
    {
        var clean = Cached(new ForwardOptions());
        var batchOnly = Cached(new ForwardOptions { Hooks = [("blocks.0.hook_resid_post", Controllers.ForBatchIndices([1], Hook.Of(t => t.Fill(2f))))] });
        batchOnly[0].Span.ToArray().Should().Equal(clean[0].Span.ToArray());
        batchOnly[1].Span.ToArray().Should().OnlyContain(v => v == 2f);

        var tokenOnly = Cached(new ForwardOptions { Hooks = [("blocks.0.hook_resid_post", Controllers.ForToken(17, row => row.Fill(-1f)))] });
        for (int b = 0; b < 2; b++)
            for (int p = 0; p < 5; p++)
                if (Tokens[b, p] == 17) tokenOnly[b][p].Span.ToArray().Should().OnlyContain(v => v == -1f);
                else tokenOnly[b][p].Span.ToArray().Should().Equal(clean[b][p].Span.ToArray());

        var clipped = Cached(new ForwardOptions { Hooks = [("blocks.0.hook_resid_post", Controllers.WhereValue(v => v > 0.01f, _ => 0.01f))] });
        clipped.Span.ToArray().Max().Should().BeLessThanOrEqualTo(0.01f);
    }

    [Fact]
    public void PipelinesRunTheirStepsInOrder()
    {
        var clean = Cached(new ForwardOptions());
        var pipeline = Controllers.Pipeline(Hook.Of(t => System.Numerics.Tensors.TensorPrimitives.Add(t.Span, 1f, t.Span)), (t, _) =>
        {
            var doubled = t.Clone();
            System.Numerics.Tensors.TensorPrimitives.Multiply(doubled.Span, 2f, doubled.Span);
            return doubled;
        });
        var result = Cached(new ForwardOptions { Hooks = [("blocks.0.hook_resid_post", pipeline)] });
        for (int i = 0; i < result.Length; i++) result.Span[i].Should().BeApproximately((clean.Span[i] + 1f) * 2f, 1e-5f);
    }

    [Fact]
    public void CrossLayerHooksReadAnEarlierPointOfTheSameRun()
    {
        var embed = Cached(new ForwardOptions(), "hook_embed");
        var hooks = Controllers.CrossLayer("hook_embed", "blocks.1.hook_resid_post", (target, source, _) => target.CopyFrom(source));
        Cached(new ForwardOptions { Hooks = hooks }, "blocks.1.hook_resid_post").Span.ToArray().Should().Equal(embed.Span.ToArray());
        var backwards = Controllers.CrossLayer("blocks.1.hook_resid_post", "hook_embed", (_, _, _) => { });
        var act = () => Tiny.Value.RunWithHooks(Tokens, backwards);
        act.Should().Throw<InvalidOperationException>().WithMessage("*hook_embed fired before blocks.1.hook_resid_post*");
    }
}

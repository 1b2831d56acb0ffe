using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;
using Glassbox.Tests;

namespace Glassbox.Consumer.Tests;

/// <summary>The generated hook sets, caches and ablations on gpt2-tiny, checked against the string API.</summary>
public class GeneratedHookSetTests
{
    static readonly Lazy<HookedTransformer> model = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    readonly HookedTransformer _model = model.Value;
    readonly IntTensor _tokens = IntTensor.FromRows([[5, 17, 42, 3, 88, 9, 61], [1, 2, 3, 4, 5, 6, 7]]);
    readonly IntTensor _other = IntTensor.FromRows([[9, 9, 40, 13, 8, 90, 6], [70, 2, 30, 4, 15, 6, 96]]);

    [Fact]
    public void ObserversSeeTheSameActivationsAsTheCache()
    {
        var (logits, cache) = _model.RunWithCache(_tokens, new[] { "blocks.0.attn.hook_pattern", "blocks.1.attn.hook_pattern", "hook_embed" });
        using (cache)
        {
            var recorder = new PatternRecorder();
            using (_model.Attach(recorder))
            {
                _model.HookCount.Should().Be(5);
                _model.Run(_tokens).MaxAbsDifference(logits).Should().Be(0f, "observers change nothing");
            }
            _model.HookCount.Should().Be(0, "disposing removes exactly the set's hooks");
            recorder.Patterns[0]!.MaxAbsDifference(cache["blocks.0.attn.hook_pattern"]).Should().Be(0f);
            recorder.Patterns[1]!.MaxAbsDifference(cache["blocks.1.attn.hook_pattern"]).Should().Be(0f);
            recorder.Embed!.MaxAbsDifference(cache["hook_embed"]).Should().Be(0f);
            recorder.Seen.Should().Equal("hook_embed", "blocks.1.hook_resid_post", "ln_final.hook_scale");
        }
    }

    [Fact]
    public void AttachLeavesOtherHooksAndRunIsRunScoped()
    {
        using var other = _model.AddHook("hook_embed", Hook.Of(_ => { }));
        var scope = _model.Attach(new PatternRecorder());
        _model.HookCount.Should().Be(6);
        scope.Dispose();
        scope.Dispose();
        _model.HookCount.Should().Be(1);

        var recorder = new PatternRecorder();
        _model.Run(_tokens, recorder);
        _model.HookCount.Should().Be(1);
        recorder.Patterns.Should().OnlyContain(p => p != null);
    }

    [Fact]
    public void TemplatesExpandAgainstTheModelAndALayerBeyondItFailsAtAttach()
    {
        var config = new ModelConfig { ModelName = "one-layer", NLayers = 1, DModel = 16, NHeads = 4, DVocab = 97, NCtx = 16 }.Validated();
        var small = new HookedTransformer(config, RandomWeights.Create(config, seed: 5));
        var recorder = new PatternRecorder();
        using (small.Attach(recorder))
            small.HookCount.Should().Be(4, "one pattern hook for the one layer, hook_embed, the last resid_post and ln_final.hook_scale");
        var act = () => small.Attach(new Editors.KillHead());
        act.Should().Throw<InvalidOperationException>()
            .WithMessage("Editors.KillHead.Kill [\"blocks.1.attn.hook_z\"]: layer 1 is out of range; the model has 1 layers*");
        small.HookCount.Should().Be(0);
    }

    [Fact]
    public void AnInPlaceEditorMatchesTheStringApi()
    {
        using var expected = _model.RunWithHooks(_tokens, ("blocks.1.attn.hook_z", Hook.Of(z =>
        {
            for (int b = 0; b < z.Dim(0); b++)
                for (int p = 0; p < z.Dim(1); p++) z[b][p][2].Clear();
        })));
        using var actual = _model.Run(_tokens, new Editors.KillHead());
        using var clean = _model.Run(_tokens);
        actual.MaxAbsDifference(expected).Should().Be(0f);
        actual.MaxAbsDifference(clean).Should().BeGreaterThan(1e-4f);
    }

    [Fact]
    public void AReplacementMatchesTheStringApi()
    {
        using var expected = _model.RunWithHooks(_tokens, ("blocks.*.hook_resid_mid", Hook.Replace((t, _) =>
        {
            var copy = t.Clone();
            foreach (ref float v in copy.Span) v *= 2;
            return copy;
        })));
        using var actual = _model.Run(_tokens, new Editors.DoubleResidual());
        actual.MaxAbsDifference(expected).Should().Be(0f);
    }

    [Fact]
    public void TheGeneratedCacheRecordsOnlyItsPointsWithTypedAccessors()
    {
        var names = new[] { "blocks.0.hook_resid_post", "blocks.1.hook_resid_post", "blocks.0.attn.hook_pattern", "blocks.1.attn.hook_pattern", "hook_embed", "blocks.1.mlp.hook_post" };
        var (_, cache) = _model.RunWithCache(_tokens, names);
        using (cache)
        {
            var small = new SmallCache();
            long estimate = SmallCache.EstimateSizeInBytes(_model, batch: 2, positions: 7);
            _model.Run(_tokens, small);
            small.ResidPost(0).Clone().MaxAbsDifference(cache["blocks.0.hook_resid_post"]).Should().Be(0f);
            small.ResidPost(-1).Clone().MaxAbsDifference(cache["blocks.1.hook_resid_post"]).Should().Be(0f);
            small.AttnPattern(1).Clone().MaxAbsDifference(cache["blocks.1.attn.hook_pattern"]).Should().Be(0f);
            small.Embed().Clone().MaxAbsDifference(cache["hook_embed"]).Should().Be(0f);
            small.MlpPost(1).Clone().MaxAbsDifference(cache["blocks.1.mlp.hook_post"]).Should().Be(0f);
            small.AttnPattern(0).Heads.Should().Be(4);
            small.SizeInBytes.Should().Be(cache.SizeInBytes).And.Be(estimate);
            var notRecorded = () => small.MlpPost(0);
            notRecorded.Should().Throw<InvalidOperationException>().WithMessage("*layer 0*");
            small.Clear();
            small.SizeInBytes.Should().Be(0);
        }
    }

    [Fact]
    public void ZeroAblationMatchesTheStringApi()
    {
        using var expected = _model.RunWithHooks(_tokens,
            ("blocks.1.attn.hook_z", Hook.Of(z =>
            {
                for (int b = 0; b < 2; b++)
                    for (int p = 0; p < 7; p++) { z[b][p][0].Clear(); z[b][p][3].Clear(); }
            })),
            ("blocks.0.mlp.hook_post", Hook.Of(n =>
            {
                for (int b = 0; b < 2; b++) { n[b, 2, 7] = 0; n[b, 2, 100] = 0; }
            })));
        using var actual = _model.Run(_tokens, new ZeroAblation());
        actual.MaxAbsDifference(expected).Should().Be(0f);
    }

    [Fact]
    public void MeanAblationPutsInTheBatchMeanOfTheMeanCache()
    {
        var (_, reference) = _model.RunWithCache(_other, "blocks.0.attn.hook_z");
        using (reference)
        {
            var z = reference["blocks.0.attn.hook_z"];
            using var expected = _model.RunWithHooks(_tokens, ("blocks.0.attn.hook_z", Hook.Of(t =>
            {
                for (int b = 0; b < 2; b++)
                    for (int p = 0; p < 7; p++)
                        for (int d = 0; d < t.Dim(3); d++)
                            t[b, p, 1, d] = (z[0, p, 1, d] + z[1, p, 1, d]) / 2;
            })));
            using var actual = _model.Run(_tokens, new MeanAblation { MeanCache = reference });
            actual.MaxAbsDifference(expected).Should().BeLessThan(1e-6f);
        }
        var missing = () => _model.Attach(new MeanAblation());
        missing.Should().Throw<InvalidOperationException>().WithMessage("*MeanCache*");
    }

    [Fact]
    public void ResampleAblationAndPatchingCopyFromTheSourceCache()
    {
        var (_, source) = _model.RunWithCache(_other, HookFilter.Everything);
        using (source)
        {
            using var expectedResample = _model.RunWithHooks(_tokens, ("blocks.*.attn.hook_pattern", Hook.Of((t, c) =>
            {
                for (int b = 0; b < 2; b++) t[b][2].CopyFrom(source[c.Name][b][2]);
            })));
            using var resampled = _model.Run(_tokens, new ResampleAblation { SourceCache = source });
            resampled.MaxAbsDifference(expectedResample).Should().Be(0f);

            using var expectedPatch = _model.RunWithHooks(_tokens, ("blocks.*.hook_resid_pre", Hook.Of((t, c) =>
            {
                for (int b = 0; b < 2; b++) t[b][3].CopyFrom(source[c.Name][b][3]);
            })));
            using var patched = _model.Run(_tokens, new PatchPosition { SourceCache = source });
            patched.MaxAbsDifference(expectedPatch).Should().Be(0f);
        }
    }

    [Fact]
    public void SkipLayerEqualsStoppingBeforeIt()
    {
        using var stopped = _model.Forward(_tokens, new ForwardOptions { StopAtLayer = 1 });
        using var viaResidual = _model.ForwardFromResidual(stopped.Residual!, startAtLayer: 2);
        using var skipped = _model.Run(_tokens, new SkipLast());
        skipped.MaxAbsDifference(viaResidual.Logits!).Should().BeLessThan(1e-6f);
    }
}

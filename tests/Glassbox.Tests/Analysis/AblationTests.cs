using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Analysis;

public class AblationTests
{
    static readonly Lazy<HookedTransformer> Tiny = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    static readonly IntTensor Tokens = new([5, 17, 42, 3, 96, 0, 11, 64, 8, 23, 7, 7], 2, 6);

    [Fact]
    public void ZeroAblatingHeadsEqualsClearingThemByHand()
    {
        var model = Tiny.Value;
        var byHand = model.RunWithHooks(Tokens, ("blocks.1.attn.hook_z", Hook.Of(z =>
        {
            for (int b = 0; b < 2; b++) for (int p = 0; p < 6; p++) { z[b][p][0].Clear(); z[b][p][3].Clear(); }
        })));
        var ablated = model.RunWithHooks(Tokens, Ablation.Heads(1, [0, 3]));
        ablated.MaxAbsDifference(byHand).Should().Be(0f);
        ablated.MaxAbsDifference(model.Run(Tokens)).Should().BeGreaterThan(1e-4f);
    }

    [Fact]
    public void PositionsLimitTheAblation()
    {
        var model = Tiny.Value;
        var (_, cache) = model.RunWithCache(Tokens, "blocks.0.attn.hook_z", new ForwardOptions { Hooks = [Ablation.Heads(0, [2], positions: [1, -1])] });
        var (_, clean) = model.RunWithCache(Tokens, "blocks.0.attn.hook_z");
        using (cache) using (clean)
            for (int b = 0; b < 2; b++)
                for (int p = 0; p < 6; p++)
                    for (int h = 0; h < 4; h++)
                    {
                        var value = cache["z", 0][b][p][h].Span.ToArray();
                        if (h == 2 && (p == 1 || p == 5)) value.Should().OnlyContain(v => v == 0f);
                        else value.Should().Equal(clean["z", 0][b][p][h].Span.ToArray());
                    }
    }

    [Fact]
    public void NeuronAblationClearsJustThoseNeurons()
    {
        var model = Tiny.Value;
        var (_, cache) = model.RunWithCache(Tokens, "blocks.1.mlp.hook_post", new ForwardOptions { Hooks = [Ablation.Neurons(1, [7, 200])] });
        using (cache)
        {
            var post = cache["post", 1];
            for (int b = 0; b < 2; b++)
                for (int p = 0; p < 6; p++)
                {
                    post[b, p, 7].Should().Be(0f);
                    post[b, p, 200].Should().Be(0f);
                    post[b, p, 8].Should().NotBe(0f);
                }
        }
    }

    [Fact]
    public void MeanAblationUsesTheDatasetMean()
    {
        var model = Tiny.Value;
        var batches = new[] { Tokens, new IntTensor([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18], 3, 6) };
        var means = ActivationMeans.Compute(model, batches, "blocks.0.attn.hook_z");
        // Independent mean from two caches.
        var sum = new double[4 * 16];
        int count = 0;
        foreach (var batch in batches)
        {
            var (_, c) = model.RunWithCache(batch, "blocks.0.attn.hook_z");
            using (c)
            {
                var z = c["z", 0];
                for (int r = 0; r < z.Dim(0) * z.Dim(1); r++, count++)
                    for (int i = 0; i < 64; i++) sum[i] += z.Span[r * 64 + i];
            }
        }
        var mean = means["blocks.0.attn.hook_z"];
        mean.Shape.ToArray().Should().Equal(4, 16);
        for (int i = 0; i < 64; i++) mean.Span[i].Should().BeApproximately((float)(sum[i] / count), 1e-6f);

        var (_, ablated) = model.RunWithCache(Tokens, "blocks.0.attn.hook_z", new ForwardOptions { Hooks = [Ablation.Heads(0, [1], AblationMode.Mean, means)] });
        using (ablated) ablated["z", 0][1][4][1].Span.ToArray().Should().Equal(mean[1].Span.ToArray());
    }

    [Fact]
    public void ResampleAblationTakesTheSourceRunsValues()
    {
        var model = Tiny.Value;
        var other = new IntTensor([9, 9, 9, 9, 9, 9, 1, 2, 3, 4, 5, 6], 2, 6);
        var (_, source) = model.RunWithCache(other, "blocks.1.mlp.hook_post");
        using (source)
        {
            var (_, cache) = model.RunWithCache(Tokens, "blocks.1.mlp.hook_post", new ForwardOptions { Hooks = [Ablation.Neurons(1, [3], AblationMode.Resample, source: source)] });
            using (cache)
                for (int b = 0; b < 2; b++)
                    for (int p = 0; p < 6; p++) cache["post", 1][b, p, 3].Should().Be(source["post", 1][b, p, 3]);
        }
    }

    [Fact]
    public void ASkippedLayerPassesItsInputThrough()
    {
        var model = Tiny.Value;
        var (skipped, cache) = model.RunWithCache(Tokens, "blocks.1.hook_resid_*", new ForwardOptions { Hooks = Ablation.SkipLayer(1) });
        using (cache)
        {
            cache["resid_post", 1].MaxAbsDifference(cache["resid_pre", 1]).Should().Be(0f);
            using var fromResidual = model.ForwardFromResidual(cache["resid_pre", 1], 2);
            skipped.MaxAbsDifference(fromResidual.Logits!).Should().BeLessThan(1e-6f);
        }
    }

    [Fact]
    public void BatchedImportanceEqualsOneAblationAtATime()
    {
        var model = Tiny.Value;
        float clean = Metrics.Loss(model.Run(Tokens), Tokens);
        var heads = Importance.Heads(model, Tokens, maxBatch: 5);   // forces several passes per layer
        for (int l = 0; l < 2; l++)
            for (int h = 0; h < 4; h++)
                heads[l, h].Should().BeApproximately(Metrics.Loss(model.RunWithHooks(Tokens, Ablation.Heads(l, [h])), Tokens) - clean, 1e-5f);

        var neurons = Importance.Neurons(model, Tokens, layer: 0, maxBatch: 64);
        neurons.Shape.ToArray().Should().Equal(256);
        foreach (int n in new[] { 0, 17, 255 })
            neurons.Span[n].Should().BeApproximately(Metrics.Loss(model.RunWithHooks(Tokens, Ablation.Neurons(0, [n])), Tokens) - clean, 1e-5f);

        var layers = Importance.Layers(model, Tokens);
        for (int l = 0; l < 2; l++)
            layers.Span[l].Should().BeApproximately(Metrics.Loss(model.RunWithHooks(Tokens, Ablation.SkipLayer(l)), Tokens) - clean, 1e-5f);
    }

    [Fact]
    public void ImportanceFindsTheDemoModelsInductionCircuit()
    {
        var model = InductionDemoModel.Create();
        var tokens = HeadScores.RepeatedRandomTokens(InductionDemoModel.Vocab, 16, 4, seed: 3);
        var heads = Importance.Heads(model, tokens);
        heads[1, 1].Should().BeGreaterThan(1f, "without the induction head the repeated half cannot be predicted");
        heads[0, 0].Should().BeGreaterThan(1f, "the induction head needs the previous-token head");
        heads[0, 1].Should().BeApproximately(0f, 1e-6f);
        heads[1, 0].Should().BeApproximately(0f, 1e-6f);
    }

    [Fact]
    public void HeadImportanceReportsProgressInOrderOnTheCallingThread()
    {
        var model = InductionDemoModel.Create();
        var tokens = HeadScores.RepeatedRandomTokens(InductionDemoModel.Vocab, 8, 2, seed: 3);
        var reports = new List<double>();
        int thread = Environment.CurrentManagedThreadId;
        Importance.Heads(model, tokens, maxBatch: 2, progress: new Reporter(p =>
        {
            Environment.CurrentManagedThreadId.Should().Be(thread);
            reports.Add(p);
        }));
        reports.Should().Equal(0.25, 0.5, 0.75, 1.0);
    }

    sealed class Reporter(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    [Fact]
    public void BadAblationsAreRefusedClearly()
    {
        var model = Tiny.Value;
        var noHeads = () => Ablation.Heads("blocks.0.hook_resid_pre", [0]);
        noHeads.Should().Throw<ArgumentException>().WithMessage("*blocks.0.hook_resid_pre has no head axis*");
        var outOfRange = () => model.RunWithHooks(Tokens, Ablation.Neurons(0, [256]));
        outOfRange.Should().Throw<InvalidOperationException>().WithMessage("*neuron 256 is outside axis 2 of blocks.0.mlp.hook_post*");
        var noMeans = () => Ablation.Heads(0, [1], AblationMode.Mean);
        noMeans.Should().Throw<ArgumentException>().WithMessage("*ActivationMeans*");
    }
}

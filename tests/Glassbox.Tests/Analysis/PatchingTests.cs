using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Analysis;

public class PatchingTests
{
    static readonly Lazy<HookedTransformer> Tiny = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    static readonly IntTensor Clean = new([5, 17, 42, 3, 96, 0, 11, 64, 8, 23], 2, 5);
    static readonly IntTensor Corrupted = new([5, 17, 40, 3, 96, 0, 11, 60, 8, 23], 2, 5);
    static readonly Metric LogitDiff = Metrics.LogitDifference([12, 30], [30, 12]);

    static ActivationCache CleanCache(HookedTransformer model, IntTensor? tokens = null) => model.RunWithCache(tokens ?? Clean, HookFilter.Everything).Cache;

    [Fact]
    public void ResumedAndBatchedPatchingEqualsFullReRuns()
    {
        var model = Tiny.Value;
        using var clean = CleanCache(model);
        var full = new PatchingOptions { Resume = false, MaxBatch = 2 };
        var fast = new PatchingOptions { MaxBatch = 8 };
        Patching.ResidPre(model, Corrupted, clean, LogitDiff, fast).MaxAbsDifference(Patching.ResidPre(model, Corrupted, clean, LogitDiff, full)).Should().BeLessThan(1e-4f);
        Patching.MlpOut(model, Corrupted, clean, LogitDiff, fast).MaxAbsDifference(Patching.MlpOut(model, Corrupted, clean, LogitDiff, full)).Should().BeLessThan(1e-4f);
        Patching.AttnHeadOutByPos(model, Corrupted, clean, LogitDiff, fast).MaxAbsDifference(Patching.AttnHeadOutByPos(model, Corrupted, clean, LogitDiff, full)).Should().BeLessThan(1e-4f);
        Patching.AttnHeadPatternAllPos(model, Corrupted, clean, LogitDiff, fast).MaxAbsDifference(Patching.AttnHeadPatternAllPos(model, Corrupted, clean, LogitDiff, full)).Should().BeLessThan(1e-4f);
    }

    [Fact]
    public void AnEntryIsTheMetricOfTheCorruptedRunWithThatOneActivationCopied()
    {
        var model = Tiny.Value;
        using var clean = CleanCache(model);
        var residPre = Patching.ResidPre(model, Corrupted, clean, LogitDiff);
        var byHand = model.RunWithHooks(Corrupted, ("blocks.1.hook_resid_pre", Hook.Of(t =>
        {
            for (int b = 0; b < 2; b++) t[b][2].CopyFrom(clean["resid_pre", 1][b][2]);
        })));
        residPre[1, 2].Should().BeApproximately(LogitDiff(byHand, Corrupted), 1e-4f);

        var heads = Patching.AttnHeadOutAllPos(model, Corrupted, clean, LogitDiff);
        var headByHand = model.RunWithHooks(Corrupted, ("blocks.0.attn.hook_z", Hook.Of(z =>
        {
            for (int b = 0; b < 2; b++) for (int p = 0; p < 5; p++) z[b][p][3].CopyFrom(clean["z", 0][b][p][3]);
        })));
        heads[0, 3].Should().BeApproximately(LogitDiff(headByHand, Corrupted), 1e-4f);
    }

    [Fact]
    public void PatchingEverythingOrPatchingIdenticalRunsGivesTheCleanMetric()
    {
        var model = Tiny.Value;
        using var clean = CleanCache(model);
        float cleanMetric = LogitDiff(model.Run(Clean), Clean);
        // The runs differ only in the token at position 2: restoring its embedding restores everything.
        var residPre = Patching.ResidPre(model, Corrupted, clean, LogitDiff);
        residPre[0, 2].Should().BeApproximately(cleanMetric, 1e-4f);
        residPre[0, 1].Should().BeApproximately(LogitDiff(model.Run(Corrupted), Corrupted), 1e-4f, "position 1 holds the same token in both runs");
        using var same = CleanCache(model, Corrupted);
        float corruptedMetric = LogitDiff(model.Run(Corrupted), Corrupted);
        Patching.AttnHeadOutByPos(model, Corrupted, same, LogitDiff).Span.ToArray().Should().OnlyContain(v => Math.Abs(v - corruptedMetric) < 1e-4f);
    }

    [Fact]
    public void ResultsHaveTransformerLensShapes()
    {
        var model = Tiny.Value;
        using var clean = CleanCache(model);
        Patching.ResidPre(model, Corrupted, clean, LogitDiff).Shape.ToArray().Should().Equal(2, 5);
        Patching.AttnHeadQByPos(model, Corrupted, clean, LogitDiff).Shape.ToArray().Should().Equal(2, 5, 4);
        Patching.AttnHeadPatternByPos(model, Corrupted, clean, LogitDiff).Shape.ToArray().Should().Equal(2, 4, 5);
        Patching.BlockEvery(model, Corrupted, clean, LogitDiff).Shape.ToArray().Should().Equal(3, 2, 5);
        Patching.AttnHeadAllPosEvery(model, Corrupted, clean, LogitDiff).Shape.ToArray().Should().Equal(5, 2, 4);
        Patching.AttnHeadByPosEvery(model, Corrupted, clean, LogitDiff).Shape.ToArray().Should().Equal(5, 2, 5, 4);

        var llama = HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("llama-tiny"));
        using var llamaClean = CleanCache(llama);
        Patching.AttnHeadKByPos(llama, Corrupted, llamaClean, LogitDiff).Shape.ToArray().Should().Equal([2, 5, 2], "keys have the key/value heads");
    }

    [Fact]
    public void ProgressIsReportedAndMissingCleanActivationsAreNamed()
    {
        var model = Tiny.Value;
        var reports = new List<double>();
        var progress = new SynchronousProgress(reports.Add);
        var (_, partial) = model.RunWithCache(Clean, "blocks.*.hook_resid_pre");
        using (partial)
        {
            Patching.ResidPre(model, Corrupted, partial, LogitDiff, new PatchingOptions { Progress = progress, MaxBatch = 4 });
            reports.Should().NotBeEmpty().And.BeInAscendingOrder();
            reports[^1].Should().Be(1.0);
            var act = () => Patching.MlpOut(model, Corrupted, partial, LogitDiff);
            act.Should().Throw<KeyNotFoundException>().WithMessage("*blocks.0.hook_mlp_out*clean cache*");
        }
    }

    [Fact]
    public void EveryVariantsReportProgressOverTheWholeJobOnTheCallingThread()
    {
        var model = Tiny.Value;
        var reports = new List<double>();
        int thread = Environment.CurrentManagedThreadId;
        var progress = new SynchronousProgress(p =>
        {
            Environment.CurrentManagedThreadId.Should().Be(thread);
            reports.Add(p);
        });
        using var clean = CleanCache(model);
        Patching.BlockEvery(model, Corrupted, clean, LogitDiff, new PatchingOptions { Progress = progress, MaxBatch = 4 });
        reports.Should().BeInAscendingOrder().And.HaveCountGreaterThan(3);
        reports[^1].Should().Be(1.0);
        reports.Should().NotContain(p => p > 1.0);
        reports.Count(p => p == 1.0).Should().Be(1, "one job, finished once");
    }

    sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}

using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Analysis;

public class StatisticsTests
{
    static readonly Lazy<HookedTransformer> Tiny = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    static readonly IntTensor[] Batches =
    [
        new([5, 17, 42, 3, 96, 0, 11, 64, 8, 23], 2, 5),
        new([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21], 3, 7),
    ];

    [Fact]
    public void StreamingStatisticsEqualTheWholeDatasetAtOnce()
    {
        var model = Tiny.Value;
        const string post = "blocks.1.mlp.hook_post";
        var stats = ActivationStatistics.Compute(model, Batches, HookFilter.AnyOf([post, "blocks.0.hook_resid_post"]), sparsityThreshold: 0.01f);
        stats.Names.Should().Equal("blocks.0.hook_resid_post", post);
        var all = new List<float[]>();
        foreach (var batch in Batches)
        {
            var (_, cache) = model.RunWithCache(batch, post);
            using (cache) for (int r = 0; r < cache[post].Length / 256; r++) all.Add(cache[post].Span.Slice(r * 256, 256).ToArray());
        }
        var s = stats[post];
        var flat = all.SelectMany(r => r).ToArray();
        s.Rows.Should().Be(31);
        s.Mean.Should().BeApproximately(flat.Average(v => (double)v), 1e-9);
        s.Std.Should().BeApproximately(Math.Sqrt(flat.Average(v => (double)v * v) - Math.Pow(flat.Average(v => (double)v), 2)), 1e-7);
        s.Min.Should().Be(flat.Min());
        s.Max.Should().Be(flat.Max());
        s.Sparsity.Should().BeApproximately(flat.Count(v => Math.Abs(v) <= 0.01f) / (double)flat.Length, 1e-12);
        foreach (int unit in new[] { 0, 100, 255 })
        {
            var column = all.Select(r => (double)r[unit]).ToArray();
            double mean = column.Average();
            s.UnitMean(unit).Should().BeApproximately(mean, 1e-9);
            s.UnitVariance(unit).Should().BeApproximately(column.Average(v => (v - mean) * (v - mean)), 1e-9);
        }
        var dead = stats.Dead(post);
        dead.Should().Equal(Enumerable.Range(0, 256).Where(u => all.All(r => r[u] <= 0.01f)));
        var ranked = stats.ByVariance(post);
        ranked[0].Variance.Should().BeGreaterThanOrEqualTo(ranked[^1].Variance);
    }

    [Fact]
    public void SpilledActivationsAreTheRunsActivations()
    {
        var model = Tiny.Value;
        using var folder = new TempFolder();
        ActivationStatistics.Compute(model, Batches, "blocks.0.attn.hook_z", spillFolder: folder.Path);
        folder.Entries().Should().Equal("batch00000.safetensors", "batch00001.safetensors");
        using var file = SafetensorsFile.Open(folder.File("batch00001.safetensors"));
        var (_, cache) = model.RunWithCache(Batches[1], "blocks.0.attn.hook_z");
        using (cache) file.ReadFloat32("blocks.0.attn.hook_z").Should().Equal(cache["z", 0].ToArray());
        file.ReadInt64("tokens").Select(t => (int)t).Should().Equal(Batches[1].ToArray());
    }

    [Fact]
    public void ComparisonFindsWhereTwoInputsDiverge()
    {
        var model = Tiny.Value;
        var a = new IntTensor([5, 17, 42, 3, 96], 1, 5);
        var same = ActivationComparison.Compare(model, a, a);
        same.Should().OnlyContain(d => Math.Abs(d.Cosine - 1) < 1e-6 && d.L2 == 0 && d.MaxAbs == 0);
        var b = new IntTensor([5, 17, 42, 3, 95], 1, 5);
        var diff = ActivationComparison.Compare(model, a, b, "hook_*");
        diff.Select(d => d.Name).Should().Equal("hook_embed", "hook_pos_embed");
        diff[0].L2.Should().BeGreaterThan(0);
        diff[1].L2.Should().Be(0, "positions are the same");
    }

    [Fact]
    public void TheSummaryCountsEveryParameter()
    {
        var model = Tiny.Value;
        var layers = ModelSummary.Layers(model);
        layers.Select(l => l.Name).Should().Equal("embed", "pos_embed", "blocks.0", "blocks.1", "ln_final", "unembed");
        layers.Sum(l => l.Parameters).Should().Be(model.Config.ParameterCount);
        ModelSummary.WeightBytes(model).Should().Be(model.Config.ParameterCount * 4);
    }
}

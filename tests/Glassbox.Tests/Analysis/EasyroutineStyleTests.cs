using Glassbox.Analysis;
using Glassbox.Models;
using Glassbox.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Tests.Analysis;

public class EasyroutineStyleTests
{
    static readonly Lazy<HookedTransformer> Tiny = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    static readonly IntTensor Tokens = new([5, 17, 42, 3, 96, 0, 11, 64, 8, 23, 7, 7, 1, 2], 2, 7);

    /// <summary>A uniform causal pattern: row i spreads 1/(i+1) over keys 0..i.</summary>
    static Tensor Uniform(int n)
    {
        var t = Tensor.Zeros(1, 1, n, n);
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) t[0, 0, i, j] = 1f / (i + 1);
        return t;
    }

    [Fact]
    public void BlocksReduceAsEasyroutineDefinesThem()
    {
        var pattern = Uniform(7);
        int[][] columns = [[1, 2, 3], [4]];
        int[][] rows = [[0, 1]];
        var mean = AttentionBlocks.Reduce(pattern, columns, rows, BlockReduction.Mean);
        var sum = AttentionBlocks.Reduce(pattern, columns, rows, BlockReduction.Sum);
        mean.Shape.ToArray().Should().Equal(1, 1, 1, 2);
        sum[0, 0, 0, 0].Should().BeApproximately(0.5f, 1e-7f, "only a_11 = 1/2 is non-zero among rows 0,1 × columns 1,2,3");
        mean[0, 0, 0, 0].Should().BeApproximately(0.5f / 6, 1e-7f);
        // Baseline for rows 0,1 and columns 1,2,3: (0/1 + 1/2) / 2 = 0.25; observed mean 1/12.
        AttentionBlocks.Reduce(pattern, columns, rows, BlockReduction.BaselineRatio)[0, 0, 0, 0].Should().BeApproximately((1f / 12) / 0.25f, 1e-6f);
        // For a uniform pattern the ratio is 1/|columns| (observed is per entry, the baseline per row).
        AttentionBlocks.Reduce(pattern, [[0, 2, 5]], [[5, 6]], BlockReduction.BaselineRatio)[0, 0, 0, 0].Should().BeApproximately(1f / 3, 1e-6f);
    }

    [Fact]
    public void ExtractReducesEveryLayersPattern()
    {
        var model = Tiny.Value;
        int[][] groups = [[0, 1, 2], [3, 4], [5, 6]];
        var blocks = AttentionBlocks.Extract(model, Tokens, groups, how: BlockReduction.BaselineRatio);
        var (_, cache) = model.RunWithCache(Tokens, "blocks.*.attn.hook_pattern");
        using (cache)
            for (int l = 0; l < 2; l++)
                blocks[l].ToArray().Should().Equal(AttentionBlocks.Reduce(cache["pattern", l], groups, null, BlockReduction.BaselineRatio).ToArray());
        blocks[0].Shape.ToArray().Should().Equal(2, 4, 3, 3);
        float.IsNaN(blocks[0][0, 0, 0, 2]).Should().BeTrue("rows 0-2 may not attend to 5-6 at all: 0/0");
    }

    [Fact]
    public void ProjectedHeadOutputsAddUpToTheAttentionOutput()
    {
        var model = Tiny.Value;
        var (_, cache) = model.RunWithCache(Tokens);
        using (cache)
        {
            var projected = ProjectedVectors.Project(model, 1, cache["z", 1]);
            projected.Shape.ToArray().Should().Equal(2, 4, 7, 64);
            for (int b = 0; b < 2; b++)
                for (int p = 0; p < 7; p++)
                {
                    var sum = model.Weights.Layers[1].BO.ToArray();
                    for (int h = 0; h < 4; h++) TensorPrimitives.Add(sum, projected[b][h][p].Span, sum);
                    for (int i = 0; i < 64; i++) sum[i].Should().BeApproximately(cache["attn_out", 1][b, p, i], 1e-5f);
                }
            var averaged = ProjectedVectors.Project(model, 0, cache["v", 0], [[0, 1], [6]], averageGroups: true);
            averaged.Shape.ToArray().Should().Equal(2, 4, 2, 64);
            var each = ProjectedVectors.Project(model, 0, cache["v", 0], [[0, 1]]);
            for (int i = 0; i < 64; i++) averaged[1][2][0].Span[i].Should().BeApproximately((each[1][2][0].Span[i] + each[1][2][1].Span[i]) / 2, 1e-6f);
        }
    }

    [Fact]
    public void GroupedKeyValueHeadsAreRepeatedForTheirQueryHeads()
    {
        var llama = HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("llama-tiny"));
        var (_, cache) = llama.RunWithCache(Tokens);
        using (cache)
        {
            var v = cache["v", 0];
            var projected = ProjectedVectors.Project(llama, 0, v);
            projected.Shape.ToArray().Should().Equal(2, 4, 7, 64);
            // Head 3 uses key/value head 1 through its own W_O block.
            var wo = llama.Weights.Layers[0].WO;
            for (int i = 0; i < 64; i++)
            {
                double expected = 0;
                for (int e = 0; e < 16; e++) expected += v[1, 4, 1, e] * wo[(3 * 16 + e) * 64 + i];
                projected[1, 3, 4, i].Should().BeApproximately((float)expected, 1e-5f);
            }
        }
    }

    [Fact]
    public void ResidualPositionsCanBeReplacedOrScaled()
    {
        var model = Tiny.Value;
        var values = Tensor.FromArray(Enumerable.Range(0, 2 * 64).Select(i => i * 0.01f).ToArray(), 2, 64);
        var (_, cache) = model.RunWithCache(Tokens, "blocks.1.hook_resid_pre", new ForwardOptions
        {
            Hooks = [Interventions.ReplaceAtPositions("blocks.1.hook_resid_pre", [2, -1], values), Interventions.ScaleAtPositions("blocks.1.hook_resid_pre", [0])],
        });
        using (cache)
        {
            var resid = cache["resid_pre", 1];
            resid[1][2].Span.ToArray().Should().Equal(values[0].Span.ToArray());
            resid[0][6].Span.ToArray().Should().Equal(values[1].Span.ToArray());
            resid[1][0].Span.ToArray().Should().OnlyContain(v => v == 0f);
        }
    }

    [Fact]
    public void AttentionEntriesCanBeCutAndRenormalised()
    {
        var model = Tiny.Value;
        var (_, cache) = model.RunWithCache(Tokens, "blocks.0.attn.hook_pattern", new ForwardOptions
        {
            Hooks = [Interventions.AttentionEntries(0, heads: [1], queries: [5, 6], keys: [0, 1, 2], multiplier: 0f, renormalize: true)],
        });
        using (cache)
        {
            var pattern = cache["pattern", 0];
            for (int b = 0; b < 2; b++)
                foreach (int q in new[] { 5, 6 })
                {
                    for (int k = 0; k < 3; k++) pattern[b, 1, q, k].Should().Be(0f);
                    pattern[b][1][q].Span.ToArray().Sum().Should().BeApproximately(1f, 1e-5f);
                }
        }
    }
}

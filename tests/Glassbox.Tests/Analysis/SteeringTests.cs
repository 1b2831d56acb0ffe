using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Tests.Analysis;

public class SteeringTests
{
    static readonly Lazy<HookedTransformer> Stories = new(() => Llama2cCheckpoint.Load(SharedFiles.Reference("stories260K/stories260K.bin")));
    static readonly IntTensor Tokens = IntTensor.FromSequence(1, 403, 407, 261, 378, 432);

    static float[] Vector(int d, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, d).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
    }

    [Fact]
    public void AddingAVectorAtPositionsChangesExactlyThoseRows()
    {
        var model = Stories.Value;
        var v = Vector(64, 1);
        var (_, clean) = model.RunWithCache(Tokens, "blocks.2.hook_resid_pre");
        var (_, steered) = model.RunWithCache(Tokens, "blocks.2.hook_resid_pre", new ForwardOptions { Hooks = [Steering.Add("blocks.2.hook_resid_pre", v, scale: 2f, positions: [1, 4])] });
        using (clean) using (steered)
            for (int p = 0; p < 6; p++)
            {
                var expected = clean["resid_pre", 2][0][p].ToArray();
                if (p is 1 or 4) TensorPrimitives.MultiplyAdd(v, 2f, expected, expected);
                steered["resid_pre", 2][0][p].Span.ToArray().Should().Equal(expected);
            }
    }

    [Fact]
    public void SteeringDuringGenerationUsesSequencePositions()
    {
        var model = Stories.Value;
        var seen = new List<(int Step, int Rows)>();
        var options = GenerationOptions.Greedy(3) with
        {
            Hooks =
            [
                Steering.Add("blocks.1.hook_resid_post", Vector(64, 2), scale: 0f, positions: [7]),
                ("blocks.1.hook_resid_post", Hook.Of((t, c) => seen.Add((c.Step, c.PastLength + t.Dim(1))))),
            ],
        };
        model.Generate(Tokens.ToArray(), options).Should().Equal(model.Generate(Tokens.ToArray(), GenerationOptions.Greedy(3)), "a zero vector changes nothing");
        var strong = GenerationOptions.Greedy(8) with { Hooks = Steering.AddAtLayers([1, 2, 3], Vector(64, 2), scale: 4f) };
        model.Generate(Tokens.ToArray(), strong).Should().NotEqual(model.Generate(Tokens.ToArray(), GenerationOptions.Greedy(8)));
        seen.Should().Equal((0, 6), (1, 7), (2, 8));
    }

    [Fact]
    public void AnAblatedDirectionIsGoneFromEveryResidualPoint()
    {
        var model = Stories.Value;
        var direction = Vector(64, 3);
        var unit = direction.ToArray();
        TensorPrimitives.Divide(unit, TensorPrimitives.Norm(unit), unit);
        var (_, cache) = model.RunWithCache(Tokens, HookFilter.All, new ForwardOptions { Hooks = Steering.AblateDirection(model, direction) });
        using (cache)
        {
            foreach (var name in cache.Keys.Where(k => k.Contains("hook_resid") || k.EndsWith("hook_attn_out") || k.EndsWith("hook_mlp_out") || k == "hook_embed"))
            {
                var t = cache[name];
                for (int r = 0; r < t.Length / 64; r++)
                    TensorPrimitives.Dot(t.Span.Slice(r * 64, 64), unit).Should().BeApproximately(0f, 1e-4f, name);
            }
        }
    }

    [Fact]
    public void ScalingPositionsMultipliesThem()
    {
        var model = Stories.Value;
        var (_, clean) = model.RunWithCache(Tokens, "blocks.0.hook_resid_post");
        var (_, scaled) = model.RunWithCache(Tokens, "blocks.0.hook_resid_post", new ForwardOptions { Hooks = [Steering.ScalePositions("blocks.0.hook_resid_post", [0, 5], 0.5f)] });
        using (clean) using (scaled)
        {
            var expected = clean["resid_post", 0][0][5].ToArray();
            TensorPrimitives.Multiply(expected, 0.5f, expected);
            scaled["resid_post", 0][0][5].Span.ToArray().Should().Equal(expected);
            scaled["resid_post", 0][0][3].Span.ToArray().Should().Equal(clean["resid_post", 0][0][3].Span.ToArray());
        }
    }

    [Fact]
    public void MeanDifferenceIsTheDifferenceOfTheMeans()
    {
        var model = Stories.Value;
        int[][] happy = [[1, 403, 407], [1, 291, 280, 294]], sad = [[1, 261, 378], [1, 432, 383, 286, 261]];
        var diff = Steering.MeanDifference(model, happy, sad, "blocks.3.hook_resid_pre");
        float[] Last(int[] prompt)
        {
            var (_, c) = model.RunWithCache(IntTensor.FromSequence(prompt), "blocks.3.hook_resid_pre");
            using (c) return c["resid_pre", 3][0][-1].ToArray();
        }
        for (int i = 0; i < 64; i++)
        {
            float expected = (Last(happy[0])[i] + Last(happy[1])[i]) / 2 - (Last(sad[0])[i] + Last(sad[1])[i]) / 2;
            diff[i].Should().BeApproximately(expected, 1e-5f);
        }
    }

    [Fact]
    public void AWrongSizedVectorIsNamed()
    {
        var act = () => Stories.Value.RunWithHooks(Tokens, Steering.Add("blocks.0.hook_resid_pre", new float[10]));
        act.Should().Throw<InvalidOperationException>().WithMessage("*10 values*blocks.0.hook_resid_pre*64*");
    }
}

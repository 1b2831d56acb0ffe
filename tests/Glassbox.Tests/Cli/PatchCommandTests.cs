using Glassbox.Analysis;
using Glassbox.Cli;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Cli;

public class PatchCommandTests
{
    const string Clean = "the cat sat on a red mat and the cat";
    const string Corrupted = "the dog sat on a red mat and the cat";

    static string[] Args(params string[] extra) => ["patch", "demo", "--clean", Clean, "--corrupted", Corrupted, "--metric", "logit-diff", "--answer", "sat", "--wrong", "mat", .. extra];

    /// <summary>The API's result for the demo's clean/corrupted pair.</summary>
    static Tensor Expected(Func<HookedTransformer, IntTensor, ActivationCache, Metric, PatchingOptions?, Tensor> patching)
    {
        var model = InductionDemoModel.Create();
        var metric = Metrics.LogitDifference(InductionDemoModel.Encode("sat")[0], InductionDemoModel.Encode("mat")[0]);
        var (_, cache) = model.RunWithCache(IntTensor.FromSequence(InductionDemoModel.Encode(Clean)));
        using (cache) return patching(model, IntTensor.FromSequence(InductionDemoModel.Encode(Corrupted)), cache, metric, null);
    }

    [Fact]
    public void ResidPreRestoresTheAnswerAtTheCopiedTokenAndWhereL0H0MovedIt()
    {
        var root = JsonValues.Run(Args("--kind", "resid-pre"));
        var values = root.GetProperty("values");
        JsonValues.ShouldEqual(values, Expected(Patching.ResidPre));
        JsonValues.Strings(root.GetProperty("axes")).Should().Equal("layer", "pos");
        for (int l = 0; l < 2; l++)
            for (int p = 0; p < 10; p++)
            {
                bool restored = (l, p) is (0, 1) or (1, 2);
                values[l][p].GetSingle().Should().BeApproximately(restored ? 10f : 0f, 0.01f, $"layer {l}, position {p}");
            }
        root.GetProperty("clean_metric").GetSingle().Should().BeApproximately(10f, 0.01f);
        root.GetProperty("corrupted_metric").GetSingle().Should().BeApproximately(0f, 0.01f);
        JsonValues.Strings(root.GetProperty("clean_pieces")).Should().Equal(Clean.Split(' '));
        JsonValues.Strings(root.GetProperty("corrupted_pieces"))[1].Should().Be("dog");
    }

    [Fact]
    public void ResidPreIsTheDefaultAndTheTextUsesTheTokensAsColumnLabels()
    {
        var lines = Cli.Run(Args()).ShouldSucceed().Out.Split('\n');
        lines[0].Should().Be("resid-pre patching on induction-demo: logit difference \"sat\" − \"mat\" at position 9 (\"cat\")");
        lines[1].Should().MatchRegex(@"^clean (9\.99\d|10\.000), corrupted 0\.000; ");
        Words(lines[3]).Should().Equal(["position", .. Enumerable.Range(0, 10).Select(p => p.ToString())]);
        Words(lines[4]).Should().Equal(["clean", .. Clean.Split(' ')]);
        Words(lines[5]).Should().Equal("corrupted", "dog");
        lines[5].IndexOf("dog").Should().Be(lines[4].IndexOf("cat"), "the corrupted token sits under the clean one it replaces");
        Words(lines[6])[0].Should().Be("L0");
        Words(lines[6])[2].Should().MatchRegex(@"^(9\.99\d|10\.000)$");
        Words(lines[7])[3].Should().MatchRegex(@"^(9\.99\d|10\.000)$");
    }

    static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void HeadKindsHaveTransformerLensShapes()
    {
        var byPos = JsonValues.Run(Args("--kind", "heads-by-pos"));
        JsonValues.ShouldEqual(byPos.GetProperty("values"), Expected(Patching.AttnHeadOutByPos));
        JsonValues.Shape(byPos.GetProperty("values")).Should().Equal(2, 10, 2);
        byPos.GetProperty("values")[1][9][1].GetSingle().Should().BeApproximately(10f, 0.01f, "L1H1's output at the last position carries the answer");

        var allPos = JsonValues.Run(Args("--kind", "heads-all-pos"));
        JsonValues.ShouldEqual(allPos.GetProperty("values"), Expected(Patching.AttnHeadOutAllPos));

        var every = JsonValues.Run(Args("--kind", "heads-every"));
        JsonValues.ShouldEqual(every.GetProperty("values"), Expected(Patching.AttnHeadAllPosEvery));
        JsonValues.Strings(every.GetProperty("parts")).Should().Equal("output", "query", "key", "value", "pattern");

        var attnOut = JsonValues.Run(Args("--kind", "attn-out"));
        JsonValues.ShouldEqual(attnOut.GetProperty("values"), Expected(Patching.AttnOut));
    }

    [Fact]
    public void BlockEveryOnGpt2Mini()
    {
        string folder = SharedFiles.Models("gpt2-mini");
        const string clean = "When David and John went to the store, John gave a drink to";
        const string corrupted = "When David and John went to the store, David gave a drink to";
        var root = JsonValues.Run("patch", folder, "--clean", clean, "--corrupted", corrupted, "--answer", " David", "--wrong", " John", "--kind", "block-every");
        var model = HookedTransformer.FromPretrained(folder);
        var metric = Metrics.LogitDifference(model.ToTokens(" David", false).ToArray().Single(), model.ToTokens(" John", false).ToArray().Single());
        var (cleanLogits, cache) = model.RunWithCache(model.ToTokens(clean));
        using (cache)
        {
            var corruptedTokens = model.ToTokens(corrupted);
            JsonValues.ShouldEqual(root.GetProperty("values"), Patching.BlockEvery(model, corruptedTokens, cache, metric));
            root.GetProperty("clean_metric").GetSingle().Should().Be(metric(cleanLogits, corruptedTokens));
            using var corruptedLogits = model.Run(corruptedTokens);
            root.GetProperty("corrupted_metric").GetSingle().Should().Be(metric(corruptedLogits, corruptedTokens));
        }
        JsonValues.Shape(root.GetProperty("values")).Should().Equal(3, 4, model.ToTokens(clean).Dim(1));
        JsonValues.Strings(root.GetProperty("parts")).Should().Equal("resid_pre", "attn_out", "mlp_out");
        Cli.Run("patch", folder, "--clean", clean, "--corrupted", corrupted, "--answer", " David", "--wrong", " John", "--kind", "block-every")
            .ShouldSucceed().Out.Should().Contain("\nresid_pre:\n").And.Contain("\nattn_out:\n").And.Contain("\nmlp_out:\n");
    }

    [Fact]
    public void CleanAndCorruptedMustTokenizeToTheSameLength()
    {
        Cli.Run("patch", "demo", "--clean", Clean, "--corrupted", "the big dog sat on a red mat and the cat", "--answer", "sat", "--wrong", "mat")
            .ShouldFailWith(ExitCodes.Usage).Should().Contain("--clean is 10 tokens but --corrupted is 11").And.Contain("same length")
            .And.Contain("corrupted: \"the\" \"big\" \"dog\"");
    }

    [Fact]
    public void BadKindsMetricsAndAnswers()
    {
        Cli.Run(Args("--kind", "resid-post")).ShouldFailWith(ExitCodes.Usage).Should().Contain("--kind must be one of resid-pre, attn-out, mlp-out");
        Cli.Run(Args("--kind", "mlp-out")).ShouldFailWith(ExitCodes.Usage).Should().Contain("attention-only");
        Cli.Run(Args("--kind", "block-every")).ShouldFailWith(ExitCodes.Usage).Should().Contain("attention-only");
        Cli.Run("patch", "demo", "--clean", Clean, "--corrupted", Corrupted, "--metric", "loss", "--answer", "sat", "--wrong", "mat")
            .ShouldFailWith(ExitCodes.Usage).Should().Contain("--metric must be logit-diff");
        Cli.Run("patch", "demo", "--clean", Clean, "--corrupted", Corrupted, "--answer", "sat").ShouldFailWith(ExitCodes.Usage).Should().Contain("--wrong");
        Cli.Run("patch", "demo", "--clean", Clean, "--answer", "sat", "--wrong", "mat").ShouldFailWith(ExitCodes.Usage).Should().Contain("--corrupted");
        Cli.Run("patch", "demo", "--clean", Clean, "--corrupted", Corrupted, "--answer", "sat mat", "--wrong", "mat").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("single token").And.Contain("\"sat\", \"mat\"");
    }
}

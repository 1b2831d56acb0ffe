using Glassbox.Analysis;
using Glassbox.Cli;
using Glassbox.Models;

namespace Glassbox.Tests.Cli;

public class ScoresCommandTests
{
    [Fact]
    public void InductionScoresOfTheDemoAreTheApisAndPeakAtL1H1()
    {
        var root = JsonValues.Run("scores", "demo", "--kind", "induction");
        root.GetProperty("seq_len").GetInt32().Should().Be(32, "50 by default, but the demo's context of 64 holds two copies of 32");
        root.GetProperty("batch").GetInt32().Should().Be(10);
        root.GetProperty("bos").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null, "the demo model has no tokenizer");
        var expected = HeadScores.Induction(InductionDemoModel.Create(), seqLength: 32, batch: 10, seed: 0);
        JsonValues.ShouldEqual(root.GetProperty("scores"), expected);
        var top = root.GetProperty("top")[0];
        (top.GetProperty("layer").GetInt32(), top.GetProperty("head").GetInt32()).Should().Be(InductionDemoModel.InductionHead);
        top.GetProperty("name").GetString().Should().Be("L1H1");
    }

    [Fact]
    public void PreviousTokenScoresPeakAtL0H0()
    {
        var root = JsonValues.Run("scores", "demo", "--kind", "prev-token", "--seq-len", "20", "--batch", "4", "--seed", "3");
        JsonValues.ShouldEqual(root.GetProperty("scores"), HeadScores.PreviousToken(InductionDemoModel.Create(), 20, 4, 3));
        root.GetProperty("top")[0].GetProperty("name").GetString().Should().Be("L0H0");
        root.GetProperty("top").GetArrayLength().Should().Be(4, "at most five heads, and the demo has four");
    }

    [Fact]
    public void DuplicateScoresAreTheApis()
    {
        var root = JsonValues.Run("scores", "demo", "--kind", "duplicate", "--seq-len", "8", "--batch", "2");
        JsonValues.ShouldEqual(root.GetProperty("scores"), HeadScores.DuplicateToken(InductionDemoModel.Create(), 8, 2, 0));
    }

    [Fact]
    public void TheTextTableHasLayersAsRowsAndListsTheTopHeads()
    {
        var scores = HeadScores.Induction(InductionDemoModel.Create(), 32, 10, 0);
        var lines = Cli.Run("scores", "demo", "--kind", "induction").ShouldSucceed().Out.Split('\n');
        lines[0].Should().Be("induction scores of induction-demo: 10 sequences of 32 random tokens repeated twice, seed 0");
        lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("H0", "H1");
        lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("L0", scores[0, 0].ToString("F3", System.Globalization.CultureInfo.InvariantCulture),
            scores[0, 1].ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
        lines[4].Should().StartWith("L1");
        lines[6].Should().StartWith($"top heads: L1H1 {scores[1, 1].ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}, ");
    }

    [Fact]
    public void AModelWithATokenizerPutsItsBosFirst()
    {
        string folder = SharedFiles.Models("gpt2-mini");
        var root = JsonValues.Run("scores", folder, "--kind", "induction", "--seq-len", "10", "--batch", "2");
        int bos = Glassbox.Tokenizers.TokenizerLoader.Load(folder).BosTokenId!.Value;
        root.GetProperty("bos").GetInt32().Should().Be(bos).And.Be(4095, "gpt2-mini's <|endoftext|>");
        var model = HookedTransformer.FromPretrained(folder);
        JsonValues.ShouldEqual(root.GetProperty("scores"), HeadScores.Induction(model, 10, 2, 0, bos));
    }

    [Fact]
    public void SequencesLongerThanTheContextAreRefusedBeforeLoading()
    {
        Cli.Run("scores", "demo", "--kind", "induction", "--seq-len", "33").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("66 tokens").And.Contain("(64)").And.Contain("at most 32");
        Cli.Run("scores", SharedFiles.Models("gpt2-mini"), "--kind", "induction", "--seq-len", "128").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("257 tokens (BOS + 2 × 128)").And.Contain("at most 127");
    }
}

using Glassbox.Analysis;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Analysis;

public class HeadScoresTests
{
    static readonly Lazy<HookedTransformer> Mini = new(() => HookedTransformer.FromPretrained(SharedFiles.Models("gpt2-mini")));

    [Fact]
    public void RepeatedRandomTokensRepeat()
    {
        var tokens = HeadScores.RepeatedRandomTokens(vocab: 100, seqLength: 7, batch: 3, seed: 1, bos: 99);
        tokens.Shape.ToArray().Should().Equal(3, 15);
        for (int b = 0; b < 3; b++)
        {
            tokens[b, 0].Should().Be(99);
            for (int i = 0; i < 7; i++)
            {
                tokens[b, 1 + i].Should().Be(tokens[b, 8 + i]);
                tokens[b, 1 + i].Should().NotBe(99);
            }
        }
    }

    [Fact]
    public void ScoresAreTheDiagonalMeansOfTheCachedPatterns()
    {
        var model = Mini.Value;
        int seq = 12;
        var tokens = HeadScores.RepeatedRandomTokens(model.Config.DVocab, seq, batch: 3, seed: 5, bos: 4095);
        var induction = HeadScores.Induction(model, seq, batch: 3, seed: 5, bos: 4095);
        var previous = HeadScores.PreviousToken(model, seq, batch: 3, seed: 5, bos: 4095);
        var duplicate = HeadScores.DuplicateToken(model, seq, batch: 3, seed: 5, bos: 4095);
        var (_, cache) = model.RunWithCache(tokens, "blocks.*.attn.hook_pattern");
        using (cache)
            for (int l = 0; l < 4; l++)
                for (int h = 0; h < 4; h++)
                {
                    var pattern = cache["pattern", l];
                    double ind = 0, prev = 0, dup = 0;
                    for (int b = 0; b < 3; b++)
                    {
                        for (int i = 1 + seq; i < 1 + 2 * seq; i++) { ind += pattern[b, h, i, i - seq + 1]; dup += pattern[b, h, i, i - seq]; }
                        for (int i = 1; i < 1 + 2 * seq; i++) prev += pattern[b, h, i, i - 1];
                    }
                    induction[l, h].Should().BeApproximately((float)(ind / (3 * seq)), 1e-6f);
                    duplicate[l, h].Should().BeApproximately((float)(dup / (3 * seq)), 1e-6f);
                    previous[l, h].Should().BeApproximately((float)(prev / (3 * 2 * seq)), 1e-6f);
                }
    }

    [Fact]
    public void OffsetsAboveTheDiagonalAreRefused()
    {
        var act = () => HeadScores.Diagonal(Mini.Value, IntTensor.FromSequence(1, 2, 3), offset: 1, firstQuery: 0);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}

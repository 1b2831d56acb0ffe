using Glassbox.Analysis;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Analysis;

/// <summary>The hand-built demo model contains exactly the heads it was built to contain, and the scores find them.</summary>
public class InductionDemoModelTests
{
    static readonly HookedTransformer Model = InductionDemoModel.Create();

    [Fact]
    public void TheScoresFindExactlyTheConstructedHeads()
    {
        var induction = HeadScores.Induction(Model, seqLength: 20, batch: 8, seed: 1);
        var previous = HeadScores.PreviousToken(Model, seqLength: 20, batch: 8, seed: 1);
        var (il, ih) = InductionDemoModel.InductionHead;
        var (pl, ph) = InductionDemoModel.PreviousTokenHead;
        for (int l = 0; l < 2; l++)
            for (int h = 0; h < 2; h++)
            {
                if ((l, h) == (il, ih)) induction[l, h].Should().BeGreaterThan(0.7f);
                else induction[l, h].Should().BeLessThan(0.2f, $"L{l}H{h} is not an induction head");
                if ((l, h) == (pl, ph)) previous[l, h].Should().BeGreaterThan(0.99f);
                else previous[l, h].Should().BeLessThan(0.3f, $"L{l}H{h} is not a previous-token head");
            }
    }

    [Fact]
    public void ItContinuesARepeatedSequence()
    {
        var words = InductionDemoModel.Encode("the cat sat on a mat and ran to the big red ball");
        var tokens = words.Concat(words[..3]).ToArray();
        var next = Model.Generate(tokens, GenerationOptions.Greedy(6));
        next.Should().Equal(words[3..9], "the induction head copies what followed the earlier occurrence");
    }

    [Fact]
    public void UnknownWordsAreNamed()
    {
        var act = () => InductionDemoModel.Encode("the zebra");
        act.Should().Throw<ArgumentException>().WithMessage("*zebra*");
    }
}

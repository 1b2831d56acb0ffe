using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Models;

public class ForwardOptionsTests
{
    readonly HookedTransformer _model = TinyModel.Create();

    [Fact]
    public void StopAtLayerReturnsTheResidualEnteringThatLayer()
    {
        var tokens = IntTensor.FromSequence(4, 8, 15, 16, 23, 42);
        var (_, cache) = _model.RunWithCache(tokens, "blocks.*.hook_resid_pre");
        using (cache)
        {
            using var stopped = _model.Forward(tokens, new ForwardOptions { StopAtLayer = 2 });
            stopped.Logits.Should().BeNull();
            stopped.Residual!.MaxAbsDifference(cache["resid_pre", 2]).Should().Be(0f);
            using var negative = _model.Forward(tokens, new ForwardOptions { StopAtLayer = -1 });
            negative.Residual!.MaxAbsDifference(cache["resid_pre", 2]).Should().Be(0f);
            using var embedOnly = _model.Forward(tokens, new ForwardOptions { StopAtLayer = 0 });
            embedOnly.Residual!.MaxAbsDifference(cache["resid_pre", 0]).Should().Be(0f);
        }
    }

    [Fact]
    public void StartAtLayerResumesFromAResidualStream()
    {
        var tokens = IntTensor.FromSequence(4, 8, 15, 16, 23, 42);
        var full = _model.Run(tokens);
        var (_, cache) = _model.RunWithCache(tokens, "blocks.1.hook_resid_pre");
        using (cache)
        {
            using var resumed = _model.ForwardFromResidual(cache["resid_pre", 1], 1, tokens, new ForwardOptions { Return = ReturnType.Both });
            resumed.Logits!.MaxAbsDifference(full).Should().BeLessThan(1e-6f);
            float.IsNaN(resumed.Loss).Should().BeFalse();
        }
    }

    [Fact]
    public void ReturnTypesGiveWhatTheyName()
    {
        var tokens = IntTensor.FromSequence(1, 2, 3, 4);
        using var loss = _model.Forward(tokens, new ForwardOptions { Return = ReturnType.Loss });
        loss.Logits.Should().BeNull();
        loss.Loss.Should().BeGreaterThan(0);
        using var none = _model.Forward(tokens, new ForwardOptions { Return = ReturnType.None });
        none.Logits.Should().BeNull();
        float.IsNaN(none.Loss).Should().BeTrue();
        using var both = _model.Forward(tokens, new ForwardOptions { Return = ReturnType.Both });
        both.Logits.Should().NotBeNull();
        both.Loss.Should().BeApproximately(loss.Loss, 1e-6f);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PaddedBatchesEqualTheUnpaddedRuns(bool leftPadding)
    {
        int[] a = [5, 6, 7, 8, 9, 10, 11], b = [20, 21, 22];
        int pad = 0, n = a.Length;
        int[] Padded(int[] s) => leftPadding ? [.. Enumerable.Repeat(pad, n - s.Length), .. s] : [.. s, .. Enumerable.Repeat(pad, n - s.Length)];
        int[] Mask(int[] s) => leftPadding ? [.. Enumerable.Repeat(0, n - s.Length), .. Enumerable.Repeat(1, s.Length)] : [.. Enumerable.Repeat(1, s.Length), .. Enumerable.Repeat(0, n - s.Length)];
        var tokens = IntTensor.FromRows([Padded(a), Padded(b)]);
        var mask = IntTensor.FromRows([Mask(a), Mask(b)]);

        using var batched = _model.Forward(tokens, new ForwardOptions { AttentionMask = mask, Return = ReturnType.Both });
        var aAlone = _model.Run(a);
        var bAlone = _model.Run(b);
        batched.Logits![0].MaxAbsDifference(aAlone[0]).Should().BeLessThan(1e-5f);
        int offset = leftPadding ? n - b.Length : 0;
        for (int p = 0; p < b.Length; p++)
            batched.Logits[1][offset + p].MaxAbsDifference(bAlone[0][p]).Should().BeLessThan(1e-5f, $"position {p} of the padded sequence");

        using var lossA = _model.Forward(IntTensor.FromSequence(a), new ForwardOptions { Return = ReturnType.Loss, LossPerToken = true });
        using var lossB = _model.Forward(IntTensor.FromSequence(b), new ForwardOptions { Return = ReturnType.Loss, LossPerToken = true });
        float expected = (lossA.LossPerToken!.Span.ToArray().Sum() + lossB.LossPerToken!.Span.ToArray().Sum()) / (a.Length - 1 + b.Length - 1);
        batched.Loss.Should().BeApproximately(expected, 1e-5f, "padding positions are left out of the loss");
    }

    [Fact]
    public void LeftPaddingDerivesPositionsFromTheMask()
    {
        var tokens = IntTensor.FromRows([[0, 0, 7, 8]]);
        var mask = IntTensor.FromRows([[0, 0, 1, 1]]);
        var (_, cache) = _model.RunWithCache(tokens, "hook_pos_embed", new ForwardOptions { AttentionMask = mask });
        using (cache)
        {
            var pos = cache["pos_embed"];
            pos[0][0].Span.ToArray().Should().OnlyContain(v => v == 0f, "padding gets no position");
            pos[0][2].Span.ToArray().Should().Equal(_model.Weights.WPos!.AsSpan(0, 32).ToArray(), "the first real token is position 0");
            pos[0][3].Span.ToArray().Should().Equal(_model.Weights.WPos!.AsSpan(32, 32).ToArray());
        }
    }

    [Fact]
    public void BadInputsAreRefusedWithClearMessages()
    {
        var outOfVocab = () => _model.Run(1, 2, 50);
        outOfVocab.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Token 50 at batch 0, position 2*");
        var tooLong = () => _model.Run(Enumerable.Range(0, 25).Select(i => i % 50).ToArray());
        tooLong.Should().Throw<ArgumentException>().WithMessage("*25 positions exceed*24*");
        var badMask = () => _model.Forward(IntTensor.FromSequence(1, 2), new ForwardOptions { AttentionMask = IntTensor.FromSequence(1, 2) });
        badMask.Should().Throw<ArgumentException>().WithMessage("*only 0 and 1*");
        var badStop = () => _model.Forward(IntTensor.FromSequence(1, 2), new ForwardOptions { StopAtLayer = 9 });
        badStop.Should().Throw<ArgumentOutOfRangeException>();
    }
}

using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Models;

/// <summary>gpt2-tiny against activations recorded by an independent PyTorch implementation.</summary>
public class Gpt2FidelityTests
{
    static readonly Lazy<HookedTransformer> Model = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    static readonly Lazy<IReadOnlyList<ReferenceCase>> Cases = new(() => ReferenceCase.Load("gpt2-tiny"));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void LogitsMatchTheReference(int c)
    {
        var reference = Cases.Value[c];
        var logits = Model.Value.Run(reference.Tokens);
        Close.Assert(logits, reference.Logits, "logits");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void EveryHookActivationMatchesTheReference(int c)
    {
        var reference = Cases.Value[c];
        reference.HookNames.Should().HaveCountGreaterThan(40);
        var (_, cache) = Model.Value.RunWithCache(reference.Tokens, HookFilter.AnyOf(reference.HookNames));
        using (cache)
        {
            foreach (var name in reference.HookNames)
            {
                cache.ContainsKey(name).Should().BeTrue($"{name} is recorded by the reference");
                Close.Assert(cache[name], reference.Hooks[name], name);
            }
        }
    }

    [Fact]
    public void CacheKeysComeInTheReferenceFiringOrder()
    {
        var reference = Cases.Value[0];
        var (_, cache) = Model.Value.RunWithCache(reference.Tokens, HookFilter.Everything);
        using (cache)
            cache.Keys.Where(reference.HookNames.Contains).Should().Equal(reference.HookNames);
    }

    [Fact]
    public void DefaultCacheHoldsWhatAPlainPassComputes()
    {
        var reference = Cases.Value[0];
        var (_, cache) = Model.Value.RunWithCache(reference.Tokens);
        using (cache)
            cache.Keys.Should().Equal(reference.HookNames.Where(n => !n.EndsWith("hook_result", StringComparison.Ordinal)));
    }

    [Fact]
    public void PerHeadInputPathGivesTheSameActivations()
    {
        // Listening on every point routes attention through the gated per-head inputs
        // (hook_q/k/v_input): ln1 then runs per head, and everything downstream must be unchanged.
        var reference = Cases.Value[1];
        var (logits, cache) = Model.Value.RunWithCache(reference.Tokens, HookFilter.Everything);
        using (cache)
        {
            Close.Assert(logits, reference.Logits, "logits");
            foreach (var name in reference.HookNames.Where(n => !n.Contains(".ln1.")))
                Close.Assert(cache[name], reference.Hooks[name], name);
            var scale = cache["blocks.1.ln1.hook_scale"];
            scale.Shape.ToArray().Should().Equal(2, 11, 4, 1);
            for (int h = 0; h < 4; h++)
                for (int p = 0; p < 11; p++)
                    scale[1, p, h, 0].Should().BeApproximately(reference.Hooks["blocks.1.ln1.hook_scale"][1, p, 0], 1e-5f);
            cache["blocks.0.hook_q_input"].Shape.ToArray().Should().Equal(2, 11, 4, 64);
        }
    }

    [Fact]
    public void GatedHookResultMatchesTheReferenceOnlyWhenAsked()
    {
        var reference = Cases.Value[1];
        var (_, cache) = Model.Value.RunWithCache(reference.Tokens, "blocks.*.attn.hook_result");
        using (cache)
        {
            cache.Keys.Should().Equal("blocks.0.attn.hook_result", "blocks.1.attn.hook_result");
            Close.Assert(cache["result", 1], reference.Hooks["blocks.1.attn.hook_result"], "result");
        }
    }

    [Fact]
    public void LossIsTheMeanNextTokenCrossEntropyOfTheReferenceLogits()
    {
        var reference = Cases.Value[1];
        using var result = Model.Value.Forward(reference.Tokens, new ForwardOptions { Return = ReturnType.Both, LossPerToken = true });
        var (expected, _) = Loss.NextToken(reference.Logits, reference.Tokens, null);
        result.Loss.Should().BeApproximately(expected, 1e-5f);
        result.LossPerToken!.Shape.ToArray().Should().Equal(2, 10);
        result.Logits.Should().NotBeNull();
    }
}

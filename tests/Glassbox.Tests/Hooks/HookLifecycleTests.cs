using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Hooks;

/// <summary>TransformerLens's hook-lifecycle behaviours (tests/integration/test_hooks.py), ported.</summary>
public class HookLifecycleTests
{
    readonly HookedTransformer _model = TinyModel.Create();
    readonly IntTensor _tokens = IntTensor.FromSequence(3, 14, 15, 9, 26, 5);

    [Fact]
    public void ScopeRemovesItsHooksWhenDisposed()
    {
        int calls = 0;
        using (_model.Hooks(("blocks.0.hook_resid_pre", Hook.Of(_ => calls++))))
        {
            _model.HookCount.Should().Be(1);
            _model.Run(_tokens);
        }
        _model.HookCount.Should().Be(0);
        _model.Run(_tokens);
        calls.Should().Be(1);
    }

    [Fact]
    public void ScopeRemovesItsHooksWhenAHookThrows()
    {
        var act = () =>
        {
            using var scope = _model.Hooks(("blocks.1.attn.hook_pattern", Hook.Of(_ => throw new InvalidOperationException("boom"))));
            _model.Run(_tokens);
        };
        act.Should().Throw<InvalidOperationException>().WithMessage("boom");
        _model.HookCount.Should().Be(0);
        _model.Run(_tokens).Should().NotBeNull("the model still runs after a hook threw");
    }

    [Fact]
    public void NestedScopesRemoveOnlyTheirOwnHooks()
    {
        var fired = new List<string>();
        using (_model.Hooks(("hook_embed", Hook.Of(_ => fired.Add("outer")))))
        {
            using (_model.Hooks(("hook_embed", Hook.Of(_ => fired.Add("inner")))))
                _model.Run(_tokens);
            _model.HookCount.Should().Be(1);
            _model.Run(_tokens);
        }
        fired.Should().Equal("outer", "inner", "outer");
        _model.HookCount.Should().Be(0);
    }

    [Fact]
    public void DisposingAScopeTwiceIsHarmless()
    {
        var scope = _model.Hooks(("hook_embed", Hook.Of(_ => { })));
        using var other = _model.AddHook("hook_embed", Hook.Of(_ => { }));
        scope.Dispose();
        scope.Dispose();
        _model.HookCount.Should().Be(1, "the second dispose must not remove someone else's hook");
    }

    [Fact]
    public void PermanentHooksSurviveResetHooks()
    {
        int permanent = 0, temporary = 0;
        _model.AddHook("hook_embed", Hook.Of(_ => permanent++), isPermanent: true);
        _model.AddHook("hook_embed", Hook.Of(_ => temporary++));
        _model.ResetHooks();
        _model.Run(_tokens);
        (permanent, temporary).Should().Be((1, 0));
        _model.ResetHooks(includingPermanent: true);
        _model.Run(_tokens);
        permanent.Should().Be(1);
        _model.HookCount.Should().Be(0);
    }

    [Fact]
    public void HooksFireInRegistrationOrderAndPrependGoesFirst()
    {
        var order = new List<int>();
        using var a = _model.AddHook("blocks.2.hook_mlp_out", Hook.Of(_ => order.Add(1)));
        using var b = _model.AddHook("blocks.2.hook_mlp_out", Hook.Of(_ => order.Add(2)));
        using var c = _model.AddHook("blocks.2.hook_mlp_out", Hook.Of(_ => order.Add(0)), prepend: true);
        _model.Run(_tokens);
        order.Should().Equal(0, 1, 2);
    }

    [Fact]
    public void RunScopedHooksNeverStayOnTheModel()
    {
        int calls = 0;
        _model.RunWithHooks(_tokens, ("blocks.*.hook_resid_post", Hook.Of(_ => calls++)));
        calls.Should().Be(3);
        _model.HookCount.Should().Be(0);
        var act = () => _model.RunWithHooks(_tokens, ("hook_embed", Hook.Of(_ => throw new InvalidOperationException())));
        act.Should().Throw<InvalidOperationException>();
        _model.HookCount.Should().Be(0);
    }

    [Fact]
    public void ConcurrentRunsDoNotSeeEachOthersHooks()
    {
        var clean = _model.Run(_tokens);
        var ablated = _model.RunWithHooks(_tokens, ("blocks.1.attn.hook_z", Hook.Of(z => z.Clear())));
        ablated.MaxAbsDifference(clean).Should().BeGreaterThan(1e-3f);
        Parallel.For(0, 16, i =>
        {
            var logits = i % 2 == 0
                ? _model.Run(_tokens)
                : _model.RunWithHooks(_tokens, ("blocks.1.attn.hook_z", Hook.Of(z => z.Clear())));
            logits.MaxAbsDifference(i % 2 == 0 ? clean : ablated).Should().Be(0f);
        });
    }

    [Fact]
    public void AReturnedReplacementFlowsOnAndAWrongShapeNamesTheHook()
    {
        var zeros = _model.RunWithHooks(_tokens, ("blocks.0.attn.hook_z", (z, _) => Tensor.Zeros(z.Shape.ToArray())));
        var cleared = _model.RunWithHooks(_tokens, ("blocks.0.attn.hook_z", Hook.Of(z => z.Clear())));
        zeros.MaxAbsDifference(cleared).Should().Be(0f);

        var act = () => _model.RunWithHooks(_tokens, ("blocks.0.attn.hook_z", (_, _) => Tensor.Zeros(1, 2, 3)));
        act.Should().Throw<InvalidOperationException>().WithMessage("*blocks.0.attn.hook_z*[1, 2, 3]*");
    }

    [Fact]
    public void UnknownNamesFailAtOnceWithTheNearestNames()
    {
        var typo = () => _model.AddHook("blocks.0.attn.hook_patern", Hook.Of(_ => { }));
        typo.Should().Throw<UnknownHookException>().WithMessage("*Did you mean 'blocks.0.attn.hook_pattern'*");

        var layer = () => _model.AddHook("blocks.7.hook_resid_pre", Hook.Of(_ => { }));
        layer.Should().Throw<UnknownHookException>().WithMessage("*layer 7 is out of range*0..2*");

        var family = () => _model.AddHook("blocks.0.attn.hook_rot_q", Hook.Of(_ => { }));
        family.Should().Throw<UnknownHookException>().WithMessage("*Gpt2*hook_rot_q*Rotary*");

        var glob = () => _model.AddHook("blocks.*.attn.hook_patern", Hook.Of(_ => { }));
        glob.Should().Throw<UnknownHookException>().WithMessage("*matches no hook point*");
        _model.HookCount.Should().Be(0);
    }

    [Fact]
    public void ABadNameInAScopeAttachesNothing()
    {
        var act = () => _model.Hooks(("hook_embed", Hook.Of(_ => { })), ("blocks.0.hook_nonsense", Hook.Of(_ => { })));
        act.Should().Throw<UnknownHookException>();
        _model.HookCount.Should().Be(0);
    }

    [Fact]
    public void HookContextNamesThePointAndKeepsStateAcrossRuns()
    {
        var seen = new List<(string, int)>();
        using var scope = _model.AddHook("blocks.*.attn.hook_pattern", (t, ctx) =>
        {
            seen.Add((ctx.Name, ctx.Layer));
            ctx.Tokens!.Row(0).ToArray().Should().Equal(_tokens.Row(0).ToArray());
            ctx.Ctx["runs"] = (int)(ctx.Ctx.TryGetValue("runs", out var r) ? r! : 0) + 1;
        });
        _model.Run(_tokens);
        _model.Run(_tokens);
        seen.Take(3).Should().Equal(("blocks.0.attn.hook_pattern", 0), ("blocks.1.attn.hook_pattern", 1), ("blocks.2.attn.hook_pattern", 2));
        _model.HookPoints["blocks.2.attn.hook_pattern"].Ctx["runs"].Should().Be(2);
        _model.ResetHooks();
        _model.HookPoints["blocks.2.attn.hook_pattern"].Ctx.Should().BeEmpty();
    }

    [Fact]
    public void GatedPointsFireOnlyWhenSomethingListens()
    {
        Tensor? mlpIn = null;
        var (_, cache) = _model.RunWithCache(_tokens);
        using (cache) cache.ContainsKey("blocks.0.hook_mlp_in").Should().BeFalse();
        _model.RunWithHooks(_tokens, ("blocks.0.hook_mlp_in", Hook.Of(t => mlpIn = t.Clone())));
        var (_, withMid) = _model.RunWithCache(_tokens, "blocks.0.hook_resid_mid");
        using (withMid) mlpIn!.MaxAbsDifference(withMid["resid_mid", 0]).Should().Be(0f);
    }

    [Fact]
    public void EditingAGatedInputChangesOnlyTheHeadsThatReadIt()
    {
        var (_, clean) = _model.RunWithCache(_tokens, "blocks.1.attn.hook_z");
        var (_, edited) = _model.RunWithCache(_tokens, "blocks.1.attn.hook_z", new ForwardOptions
        {
            Hooks = [("blocks.1.hook_q_input", Hook.Of(t => { for (int p = 0; p < 6; p++) t[0][p][2].Fill(0.5f); }))],
        });
        using (clean) using (edited)
        {
            var a = clean["z", 1];
            var b = edited["z", 1];
            for (int h = 0; h < 4; h++)
            {
                float diff = 0;
                for (int p = 0; p < 6; p++) diff = Math.Max(diff, a[0][p][h].MaxAbsDifference(b[0][p][h]));
                if (h == 2) diff.Should().BeGreaterThan(1e-3f);
                else diff.Should().BeLessThan(1e-5f);
            }
        }
    }
}

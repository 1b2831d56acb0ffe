using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Hooks;

/// <summary>The runtime half of the hook DSL: IHookSet, Attach/Run, layer sets, edits and recordings (what generated code calls).</summary>
public class HookSetTests
{
    readonly HookedTransformer _model = TinyModel.Create();
    readonly IntTensor _tokens = IntTensor.FromSequence(3, 14, 15, 9, 26, 5);

    static int Index(string name, bool inBlock = true)
    {
        for (int i = 0; i < HookCatalog.All.Count; i++)
            if (HookCatalog.All[i].Name == name && HookCatalog.All[i].InBlock == inBlock) return i;
        throw new ArgumentException(name);
    }

    sealed class Lambda(Action<HookSetBuilder> register) : IHookSet
    {
        public void Register(HookSetBuilder hooks) => register(hooks);
    }

    [Fact]
    public void AttachRegistersEveryLayerAndDisposeRemovesExactlyThoseHooks()
    {
        var layers = new List<int>();
        var set = new Lambda(h => h.Add(Index("attn.hook_pattern"), "blocks.<L>.attn.hook_pattern", LayerSet.All,
            (t, c) => { var p = new ReadOnlyAttentionPattern(t); p.Heads.Should().Be(4); layers.Add(c.Layer); return null; }, "Test.OnPattern"));
        using var other = _model.AddHook("hook_embed", Hook.Of(_ => { }));
        using (_model.Attach(set))
        {
            _model.HookCount.Should().Be(4);
            _model.Run(_tokens);
        }
        _model.HookCount.Should().Be(1);
        _model.Run(_tokens);
        layers.Should().Equal(0, 1, 2);
    }

    [Fact]
    public void RunWithAHookSetIsRunScoped()
    {
        int calls = 0;
        var set = new Lambda(h => h.Add(Index("hook_embed", false), "hook_embed", LayerSet.ModelWide, (_, _) => { calls++; return null; }, "T.M"));
        _model.Run(_tokens, set);
        _model.HookCount.Should().Be(0);
        calls.Should().Be(1);
    }

    [Theory]
    [InlineData(3, "layer 3 is out of range; the model has 3 layers")]
    [InlineData(-4, "layer -4 is out of range")]
    public void ALayerBeyondTheModelFailsAtAttachNamingTheHandler(int layer, string message)
    {
        var set = new Lambda(h =>
        {
            h.Add(Index("hook_resid_pre"), "blocks.0.hook_resid_pre", LayerSet.Of(0), (_, _) => null, "T.Fine");
            h.Add(Index("hook_resid_post"), $"blocks.{layer}.hook_resid_post", LayerSet.Of(layer), (_, _) => null, "T.Bad");
        });
        var act = () => _model.Attach(set);
        act.Should().Throw<InvalidOperationException>().WithMessage($"*T.Bad*{message}*");
        _model.HookCount.Should().Be(0, "nothing is attached when one name fails");
    }

    [Fact]
    public void LayerSetsResolveRangesListsAndNegativeLayers()
    {
        LayerSet.Range(1, 2).Resolve(3, "x").Should().Equal(1, 2);
        LayerSet.Range(-2, -1).Resolve(3, "x").Should().Equal(1, 2);
        LayerSet.Of(2, 0, -3).Resolve(3, "x").Should().Equal(0, 2);
        LayerSet.All.Resolve(3, "x").Should().Equal(0, 1, 2);
        LayerSet.ModelWide.Resolve(3, "x").Should().Equal(-1);
        var empty = () => LayerSet.Range(2, 1).Resolve(3, "x");
        empty.Should().Throw<InvalidOperationException>().WithMessage("*empty*");
    }

    [Fact]
    public void APointTheFamilyLacksFailsAtAttach()
    {
        var set = new Lambda(h => h.Add(Index("attn.hook_rot_q"), "blocks.<L>.attn.hook_rot_q", LayerSet.All, (_, _) => null, "T.Rot"));
        var act = () => _model.Attach(set);
        act.Should().Throw<InvalidOperationException>().WithMessage("*T.Rot*no blocks.<L>.attn.hook_rot_q*");
    }

    [Fact]
    public void ZeroAblationOfHeadsMatchesTheStringApi()
    {
        using var expected = _model.RunWithHooks(_tokens, ("blocks.1.attn.hook_z", Hook.Of(z =>
        {
            for (int p = 0; p < z.Dim(1); p++) { z[0][p][1].Clear(); z[0][p][3].Clear(); }
        })));
        var set = new Lambda(h => h.Ablate(Index("attn.hook_z"), "blocks.1.attn.hook_z", LayerSet.Of(1), AblationMode.Zero, null, "T",
            new AxisSelection(AxisRole.Head, 2, 1, 3)));
        using var actual = _model.Run(_tokens, set);
        actual.MaxAbsDifference(expected).Should().Be(0f);
    }

    [Fact]
    public void SelectionsOnTwoAxesIntersect()
    {
        Tensor? seen = null;
        var set = new Lambda(h =>
        {
            h.Ablate(Index("mlp.hook_post"), "blocks.0.mlp.hook_post", LayerSet.Of(0), AblationMode.Zero, null, "T",
                new AxisSelection(AxisRole.Neuron, 2, 5, -1), new AxisSelection(AxisRole.Position, 1, 2));
            h.Add(Index("mlp.hook_post"), "blocks.0.mlp.hook_post", LayerSet.Of(0), (t, _) => { seen = t.Clone(); return null; }, "T.See");
        });
        _model.Run(_tokens, set);
        int dMlp = _model.Config.DMlp;
        for (int p = 0; p < _tokens.Dim(1); p++)
            for (int n = 0; n < dMlp; n++)
            {
                bool ablated = p == 2 && (n == 5 || n == dMlp - 1);
                (seen![0, p, n] == 0f).Should().Be(ablated, $"position {p} neuron {n}");
            }
    }

    [Fact]
    public void AHeadBeyondTheModelFailsAtAttach()
    {
        var set = new Lambda(h => h.Ablate(Index("attn.hook_z"), "blocks.1.attn.hook_z", LayerSet.Of(1), AblationMode.Zero, null, "T",
            new AxisSelection(AxisRole.Head, 2, 4)));
        var act = () => _model.Attach(set);
        act.Should().Throw<InvalidOperationException>().WithMessage("*head 4 is out of range*4 heads*");
    }

    [Fact]
    public void KeyAndValueHeadsAreCheckedAgainstTheKeyValueHeadCount()
    {
        var gqa = TinyModel.Create(config: (TinyModel.Config with { NKeyValueHeads = 2 }).Validated());
        Func<int, Lambda> kHead = head => new Lambda(h => h.Ablate(Index("attn.hook_k"), "blocks.0.attn.hook_k", LayerSet.Of(0), AblationMode.Zero, null, "T",
            new AxisSelection(AxisRole.Head, 2, head)));
        gqa.Run(_tokens, kHead(1)).Should().NotBeNull();
        var act = () => gqa.Attach(kHead(2));
        act.Should().Throw<InvalidOperationException>().WithMessage("*head 2 is out of range; blocks.0.attn.hook_k has 2 heads*");
    }

    [Fact]
    public void MeanAndResampleReadTheirCaches()
    {
        var other = IntTensor.FromSequence(7, 7, 8, 1, 2, 3);
        var (_, source) = _model.RunWithCache(other, "blocks.0.hook_resid_post");
        using (source)
        {
            var patch = new Lambda(h => h.Patch(Index("hook_resid_post"), "blocks.0.hook_resid_post", LayerSet.Of(0), source, "T",
                new AxisSelection(AxisRole.Position, 1, 4)));
            var resample = new Lambda(h => h.Ablate(Index("hook_resid_post"), "blocks.0.hook_resid_post", LayerSet.Of(0), AblationMode.Resample, source, "T",
                new AxisSelection(AxisRole.Position, 1, 4)));
            var mean = new Lambda(h => h.Ablate(Index("hook_resid_post"), "blocks.0.hook_resid_post", LayerSet.Of(0), AblationMode.Mean, source, "T",
                new AxisSelection(AxisRole.Position, 1, 4)));
            var expected = _model.RunWithHooks(_tokens, ("blocks.0.hook_resid_post", Hook.Of(t => t[0][4].CopyFrom(source["blocks.0.hook_resid_post"][0][4]))));
            _model.Run(_tokens, patch).MaxAbsDifference(expected).Should().Be(0f);
            _model.Run(_tokens, resample).MaxAbsDifference(expected).Should().Be(0f);
            _model.Run(_tokens, mean).MaxAbsDifference(expected).Should().Be(0f, "the mean over a batch of one is that entry");
        }
        var missing = () => _model.Attach(new Lambda(h => h.Ablate(Index("attn.hook_z"), "blocks.1.attn.hook_z", LayerSet.Of(1), AblationMode.Mean, null, "T")));
        missing.Should().Throw<InvalidOperationException>().WithMessage("*MeanCache*");
    }

    [Fact]
    public void PositionsAreSequencePositionsWhenGenerationContinuesACache()
    {
        var prompt = new[] { 3, 14, 15, 9 };
        var (_, source) = _model.RunWithCache(IntTensor.FromSequence(7, 7, 8, 1, 2, 3, 4, 5), "blocks.0.hook_resid_pre");
        using (source)
        {
            // Patch position 5 from a source covering the whole sequence: the same tokens come out
            // with and without the KV cache, so the cached passes read the source at the right position.
            var patch = new Lambda(h => h.Patch(Index("hook_resid_pre"), "blocks.0.hook_resid_pre", LayerSet.Of(0), source, "T",
                new AxisSelection(AxisRole.Position, 1, 5)));
            var seen = new List<(int Past, Tensor Resid)>();
            using (_model.Attach(patch))
            using (_model.AddHook("blocks.0.hook_resid_pre", Hook.Of((t, c) => seen.Add((c.PastLength, t.Clone())))))
            {
                var cached = _model.Generate(prompt, GenerationOptions.Greedy(4));
                var (past, resid) = seen.Single(x => x.Past <= 5 && 5 < x.Past + x.Resid.Dim(1));
                resid[0][5 - past].MaxAbsDifference(source["blocks.0.hook_resid_pre"][0][5]).Should().Be(0f, "position 5 comes from the source");
                var uncached = _model.Generate(prompt, GenerationOptions.Greedy(4) with { UseKvCache = false });
                cached.Should().Equal(uncached);
            }
            var zero = new Lambda(h => h.Ablate(Index("hook_resid_pre"), "blocks.0.hook_resid_pre", LayerSet.Of(0), AblationMode.Zero, null, "T",
                new AxisSelection(AxisRole.Position, 1, 1, 5)));
            using (_model.Attach(zero))
                _model.Generate(prompt, GenerationOptions.Greedy(4)).Should().Equal(_model.Generate(prompt, GenerationOptions.Greedy(4) with { UseKvCache = false }));
        }
    }

    [Fact]
    public void SkipLayerMakesResidPostEqualResidPre()
    {
        Tensor? pre = null, post = null;
        var set = new Lambda(h =>
        {
            h.SkipLayer(-2, "T");
            h.Add(Index("hook_resid_pre"), "blocks.1.hook_resid_pre", LayerSet.Of(1), (t, _) => { pre = t.Clone(); return null; }, "T.Pre");
            h.Add(Index("hook_resid_post"), "blocks.1.hook_resid_post", LayerSet.Of(1), (t, _) => { post = t.Clone(); return null; }, "T.Post");
        });
        _model.Run(_tokens, set);
        post!.MaxAbsDifference(pre!).Should().Be(0f);
    }

    [Fact]
    public void RecordingsKeepTheLatestRunAndReuseTheirBuffers()
    {
        var recording = new RecordedActivations("blocks.<L>.hook_resid_post");
        var set = new Lambda(h => h.Record(recording, Index("hook_resid_post"), "blocks.<L>.hook_resid_post", LayerSet.Of(0, 2), "T"));
        var (_, cache) = _model.RunWithCache(_tokens, "blocks.*.hook_resid_post");
        using (cache)
        {
            _model.Run(_tokens, set);
            var first = recording.Get(2);
            first.MaxAbsDifference(cache["blocks.2.hook_resid_post"]).Should().Be(0f);
            recording.Get(-1).Should().BeSameAs(first);
            _model.Run(_tokens, set);
            recording.Get(2).Should().BeSameAs(first, "the buffer is reused when the shape stays");
            recording.SizeInBytes.Should().Be(2 * 6 * 32 * sizeof(float));
            var notCached = () => recording.Get(1);
            notCached.Should().Throw<InvalidOperationException>().WithMessage("*layer 1*");
            RecordedActivations.EstimateBytes(_model, Index("hook_resid_post"), "blocks.<L>.hook_resid_post", LayerSet.All, 2, 6)
                .Should().Be(3 * 2 * 6 * 32 * sizeof(float));
        }
    }

    [Fact]
    public void ViewsNameTheirAxesAndSlicesCoverTheirEntries()
    {
        var t = Tensor.FromArray(Enumerable.Range(0, 2 * 3 * 4 * 5).Select(i => (float)i).ToArray(), 2, 3, 4, 5);
        var z = new HeadVectors(t);
        (z.Batch, z.Positions, z.Heads, z.DHead).Should().Be((2, 3, 4, 5));
        var head = z.Head(1);
        (head.RunCount, head.RunLength).Should().Be((6, 5));
        head.ToArray().Take(5).Should().Equal(5f, 6f, 7f, 8f, 9f);
        z.Vector(1, 2, 3).ToArray().Should().Equal(t[1][2][3].ToArray());
        z.Head(-1).Clear();
        ((ReadOnlyHeadVectors)z)[1, 2, 3, 4].Should().Be(0f);
        z.Position(0).Fill(1f);
        z[1, 0, 2, 2].Should().Be(1f);
        var pattern = new ReadOnlyAttentionPattern(Tensor.Zeros(1, 2, 3, 3));
        (pattern.Heads, pattern.QueryLength, pattern.KeyLength).Should().Be((2, 3, 3));
        var wrongRank = () => new Residual(Tensor.Zeros(2, 2));
        wrongRank.Should().Throw<ArgumentException>().WithMessage("*[batch, pos, d_model]*[2, 2]*");
        new ReadOnlyLayerNormScale(Tensor.Zeros(1, 2, 1))[0, 1].Should().Be(0f);
    }
}

/// <summary>An observer's view has no way to write: no setters, no writable spans, no tensors or writable slices handed out.</summary>
public class ReadOnlyViewTests
{
    static readonly Type[] Writable = [typeof(Span<float>), typeof(Tensor), typeof(TensorSlice)];

    [Fact]
    public void EveryReadOnlyViewExposesNothingWritable()
    {
        var views = typeof(IHookSet).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "Glassbox" && t.Name.StartsWith("ReadOnly", StringComparison.Ordinal) && t.IsValueType)
            .ToList();
        views.Should().HaveCount(10, "eight kinds, the plain tensor and the slice");
        var mutableViews = views.Select(v => typeof(IHookSet).Assembly.GetType("Glassbox." + v.Name["ReadOnly".Length..])).Where(t => t is not null).ToHashSet();
        foreach (var view in views)
        {
            view.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance).Should().BeEmpty(view.Name);
            foreach (var property in view.GetProperties())
            {
                property.CanWrite.Should().BeFalse($"{view.Name}.{property.Name}");
                Writable.Should().NotContain(property.PropertyType, $"{view.Name}.{property.Name}");
                mutableViews.Should().NotContain(property.PropertyType, $"{view.Name}.{property.Name}");
            }
            foreach (var method in view.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly))
            {
                if (method.IsSpecialName) continue;
                if (method.Name == "Clone") { method.ReturnType.Should().Be(typeof(Tensor), "a clone is the caller's own copy"); continue; }
                Writable.Should().NotContain(method.ReturnType, $"{view.Name}.{method.Name}");
                mutableViews.Should().NotContain(method.ReturnType, $"{view.Name}.{method.Name}");
            }
        }
    }
}

/// <summary>The DSL's attribute enums stay in step with the runtime's.</summary>
public class DslAttributeTests
{
    [Fact]
    public void ArchitectureMirrorsModelFamily()
    {
        Enum.GetNames<Architecture>().Should().Equal(Enum.GetNames<ModelFamily>());
        foreach (var family in Enum.GetValues<ModelFamily>())
            ((int)Enum.Parse<Architecture>(family.ToString())).Should().Be((int)family);
    }
}

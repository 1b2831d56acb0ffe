using System.Text.Json;
using Glassbox.Export;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Models;

/// <summary>Attention-only shortformer models (TransformerLens state dicts) and GPT-NeoX / Pythia.</summary>
public class MoreFamiliesFidelityTests
{
    public static TheoryData<string, int> Cases => new() { { "attn-only-tiny", 0 }, { "attn-only-tiny", 1 }, { "neox-tiny", 0 }, { "neox-tiny", 1 } };

    static readonly Dictionary<string, Lazy<(HookedTransformer Model, IReadOnlyList<ReferenceCase> Cases)>> Fixtures = new[] { "attn-only-tiny", "neox-tiny" }
        .ToDictionary(n => n, n => new Lazy<(HookedTransformer, IReadOnlyList<ReferenceCase>)>(
            () => (HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference(n)), ReferenceCase.Load(n))));

    [Theory]
    [MemberData(nameof(Cases))]
    public void LogitsAndEveryHookMatchTheReference(string fixture, int c)
    {
        var (model, cases) = Fixtures[fixture].Value;
        var reference = cases[c];
        var (logits, cache) = model.RunWithCache(reference.Tokens, HookFilter.AnyOf(reference.HookNames));
        using (cache)
        {
            Close.Assert(logits, reference.Logits, "logits");
            cache.Keys.Should().Equal(reference.HookNames, "hooks fire in the reference order");
            foreach (var name in reference.HookNames)
                Close.Assert(cache[name], reference.Hooks[name], name);
        }
    }

    [Theory]
    [InlineData("attn-only-tiny")]
    [InlineData("neox-tiny")]
    public void TheDefaultCacheHoldsExactlyTheReferenceHooksButHookResult(string fixture)
    {
        var (model, cases) = Fixtures[fixture].Value;
        var (_, cache) = model.RunWithCache(cases[0].Tokens);
        using (cache) cache.Keys.Should().Equal(cases[0].HookNames.Where(n => !n.EndsWith("hook_result")));
    }

    [Fact]
    public void PointsTheseFamiliesNeverFireAreRefusedWithTheReason()
    {
        var attnOnly = Fixtures["attn-only-tiny"].Value.Model;
        var mlp = () => attnOnly.AddHook("blocks.0.hook_mlp_out", Hook.Of(_ => { }));
        mlp.Should().Throw<UnknownHookException>().WithMessage("*AttentionOnly*hook_mlp_out*Mlp*");
        var scale = () => attnOnly.AddHook("blocks.1.ln1.hook_scale", Hook.Of(_ => { }));
        scale.Should().Throw<UnknownHookException>().WithMessage("*Norm*");

        var neox = Fixtures["neox-tiny"].Value.Model;
        var mid = () => neox.AddHook("blocks.0.hook_resid_mid", Hook.Of(_ => { }));
        mid.Should().Throw<UnknownHookException>().WithMessage("*NeoX*hook_resid_mid*SequentialResidual*");
        neox.Config.RotaryDim.Should().Be(4);
        neox.Config.ParallelAttnMlp.Should().BeTrue();
    }

    [Fact]
    public void ShortformerPositionsNeverEnterTheResidualStream()
    {
        var (model, cases) = Fixtures["attn-only-tiny"].Value;
        var (_, cache) = model.RunWithCache(cases[1].Tokens);
        using (cache) cache["hook_embed"].MaxAbsDifference(cache["resid_pre", 0]).Should().Be(0f);
    }

    [Fact]
    public void AShortformerModelGeneratesTheSameWithAndWithoutTheKvCache()
    {
        var model = Fixtures["attn-only-tiny"].Value.Model;
        int[] prompt = [3, 14, 15, 9];
        model.Generate(prompt, GenerationOptions.Greedy(10)).Should()
            .Equal(model.Generate(prompt, GenerationOptions.Greedy(10) with { UseKvCache = false }));
        var neox = Fixtures["neox-tiny"].Value.Model;
        neox.Generate(prompt, GenerationOptions.Greedy(10)).Should()
            .Equal(neox.Generate(prompt, GenerationOptions.Greedy(10) with { UseKvCache = false }));
    }

    [Fact]
    public void AFullTransformerLensStateDictLoadsLikeTheHuggingFaceFolder()
    {
        // gpt2-tiny rewritten under TransformerLens names and layouts (LayerNorm, MLP, learned positions).
        var hf = HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny"));
        using var folder = new TempFolder();
        WriteTransformerLensFolder(folder, hf, new() { ["act_fn"] = "gelu_new", ["normalization_type"] = "LN", ["positional_embedding_type"] = "standard" });
        var tl = HookedTransformer.FromPretrainedNoProcessing(folder.Path);
        tl.Config.Family.Should().Be(ModelFamily.Gpt2);
        var tokens = IntTensor.FromSequence(1, 5, 9, 33, 70);
        tl.Run(tokens).MaxAbsDifference(hf.Run(tokens)).Should().BeLessThan(1e-6f);
    }

    [Fact]
    public void AnAttentionOnlyModelWithLayerNormLoadsFromItsStateDict()
    {
        var config = new ModelConfig
        {
            ModelName = "attn-only-ln", Family = ModelFamily.AttentionOnly, NLayers = 2, DModel = 32, NHeads = 4, DVocab = 40, NCtx = 16,
            AttnOnly = true, Normalization = NormalizationType.LN, PositionalEmbedding = PositionalEmbeddingType.Shortformer, TiedEmbeddings = false,
        }.Validated();
        var original = new HookedTransformer(config, RandomWeights.Create(config, seed: 4, std: 0.3f));
        using var folder = new TempFolder();
        WriteTransformerLensFolder(folder, original, new()
        {
            ["attn_only"] = true, ["normalization_type"] = "LN", ["positional_embedding_type"] = "shortformer",
        });
        var loaded = HookedTransformer.FromPretrainedNoProcessing(folder.Path);
        loaded.HookPoints.Contains("blocks.1.ln1.hook_scale").Should().BeTrue();
        loaded.HookPoints.Contains("blocks.1.hook_mlp_out").Should().BeFalse();
        var tokens = IntTensor.FromSequence(1, 5, 9, 33, 7, 2);
        loaded.Run(tokens).MaxAbsDifference(original.Run(tokens)).Should().BeLessThan(1e-6f);
    }

    /// <summary>Saves a model as a TransformerLens state dict (names and [head, d_model, d_head] layouts) with its config fields.</summary>
    static void WriteTransformerLensFolder(TempFolder folder, HookedTransformer model, Dictionary<string, object?> fields)
    {
        var c = model.Config;
        var w = model.Weights;
        var config = new Dictionary<string, object?>
        {
            ["format"] = "transformer_lens", ["model_name"] = c.ModelName + "-tl", ["n_layers"] = c.NLayers, ["d_model"] = c.DModel,
            ["n_ctx"] = c.NCtx, ["d_head"] = c.DHead, ["n_heads"] = c.NHeads, ["d_mlp"] = c.DMlp, ["d_vocab"] = c.DVocab, ["eps"] = c.Eps,
        };
        foreach (var (k, v) in fields) config[k] = v;
        File.WriteAllText(folder.File("config.json"), JsonSerializer.Serialize(config));
        int d = c.DModel, h = c.NHeads, dh = c.DHead;
        float[] ToHeads(float[] m)
        {
            var r = new float[m.Length];
            for (int i = 0; i < d; i++) for (int head = 0; head < h; head++) for (int j = 0; j < dh; j++) r[(head * d + i) * dh + j] = m[(i * h + head) * dh + j];
            return r;
        }
        var entries = new List<SafetensorsWriteEntry>
        {
            SafetensorsWriteEntry.Float32("embed.W_E", [c.DVocab, d], w.WE),
            SafetensorsWriteEntry.Float32("pos_embed.W_pos", [c.NCtx, d], w.WPos!),
            SafetensorsWriteEntry.Float32("ln_final.w", [d], w.LnFinalWeight!),
            SafetensorsWriteEntry.Float32("ln_final.b", [d], w.LnFinalBias!),
            SafetensorsWriteEntry.Float32("unembed.W_U", [d, c.DVocab], w.UntiedUnembed(c)),
        };
        if (w.BU is { } bu) entries.Add(SafetensorsWriteEntry.Float32("unembed.b_U", [c.DVocab], bu));
        for (int l = 0; l < c.NLayers; l++)
        {
            var lw = w.Layers[l];
            string p = $"blocks.{l}.";
            entries.AddRange([
                SafetensorsWriteEntry.Float32(p + "ln1.w", [d], lw.Ln1Weight!), SafetensorsWriteEntry.Float32(p + "ln1.b", [d], lw.Ln1Bias!),
                SafetensorsWriteEntry.Float32(p + "attn.W_Q", [h, d, dh], ToHeads(lw.WQ)), SafetensorsWriteEntry.Float32(p + "attn.b_Q", [h, dh], lw.BQ),
                SafetensorsWriteEntry.Float32(p + "attn.W_K", [h, d, dh], ToHeads(lw.WK)), SafetensorsWriteEntry.Float32(p + "attn.b_K", [h, dh], lw.BK),
                SafetensorsWriteEntry.Float32(p + "attn.W_V", [h, d, dh], ToHeads(lw.WV)), SafetensorsWriteEntry.Float32(p + "attn.b_V", [h, dh], lw.BV),
                SafetensorsWriteEntry.Float32(p + "attn.W_O", [h, dh, d], lw.WO), SafetensorsWriteEntry.Float32(p + "attn.b_O", [d], lw.BO),
            ]);
            if (c.AttnOnly) continue;
            entries.AddRange([
                SafetensorsWriteEntry.Float32(p + "ln2.w", [d], lw.Ln2Weight!), SafetensorsWriteEntry.Float32(p + "ln2.b", [d], lw.Ln2Bias!),
                SafetensorsWriteEntry.Float32(p + "mlp.W_in", [d, c.DMlp], lw.WIn!), SafetensorsWriteEntry.Float32(p + "mlp.b_in", [c.DMlp], lw.BIn!),
                SafetensorsWriteEntry.Float32(p + "mlp.W_out", [c.DMlp, d], lw.WOut!), SafetensorsWriteEntry.Float32(p + "mlp.b_out", [d], lw.BOut!),
            ]);
        }
        SafetensorsWriter.Write(folder.File("model.safetensors"), entries);
    }

    [Fact]
    public void StrayNeoXBuffersAreIgnored()
    {
        var source = SharedFiles.Reference("neox-tiny");
        using var folder = new TempFolder();
        File.Copy(Path.Combine(source, "config.json"), folder.File("config.json"));
        using (var file = Glassbox.Loading.SafetensorsFile.Open(Path.Combine(source, "model.safetensors")))
        {
            var entries = file.Tensors.Select(t => SafetensorsWriteEntry.Float32(t.Name, t.Shape, file.ReadFloat32(t.Name))).ToList();
            entries.Add(SafetensorsWriteEntry.Float32("gpt_neox.layers.0.attention.rotary_emb.inv_freq", [2], new float[] { 1f, 0.01f }));
            entries.Add(SafetensorsWriteEntry.Float32("gpt_neox.layers.1.attention.masked_bias", [], new float[] { -1e9f }));
            SafetensorsWriter.Write(folder.File("model.safetensors"), entries);
        }
        var tokens = IntTensor.FromSequence(4, 40, 80);
        HookedTransformer.FromPretrainedNoProcessing(folder.Path).Run(tokens)
            .MaxAbsDifference(Fixtures["neox-tiny"].Value.Model.Run(tokens)).Should().Be(0f);
    }
}

using System.Text.Json;
using Glassbox.Analysis;
using Glassbox.Export;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Analysis;

public class SparseAutoencoderTests
{
    static readonly Lazy<HookedTransformer> Tiny = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    static readonly IntTensor Tokens = new([5, 17, 42, 3, 96, 0, 11, 64, 8, 23, 7, 7], 2, 6);
    const string Site = "blocks.1.hook_resid_pre";

    static SparseAutoencoder RandomSae(SaeActivation activation = SaeActivation.ReLU, int k = 0, int seed = 4)
    {
        var rng = new Random(seed);
        float[] Normal(int n, float s) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * s)).ToArray();
        return new SparseAutoencoder(Normal(64 * 128, 0.5f), Normal(128, 0.05f), Normal(128 * 64, 0.1f), Normal(64, 0.05f), activation, k);
    }

    /// <summary>The SAE's maths written out element by element, in double.</summary>
    static (double[] F, double[] Recons) Naive(SparseAutoencoder sae, ReadOnlySpan<float> x)
    {
        var pre = new double[sae.DSae];
        for (int j = 0; j < sae.DSae; j++)
        {
            double s = sae.BEnc[j];
            for (int i = 0; i < sae.DIn; i++) s += (x[i] - (sae.ApplyBDecToInput ? sae.BDec[i] : 0)) * sae.WEnc[i * sae.DSae + j];
            pre[j] = Math.Max(s, 0);
        }
        if (sae.Activation == SaeActivation.TopK)
        {
            double threshold = pre.OrderByDescending(v => v).ElementAt(sae.K - 1);
            for (int j = 0; j < pre.Length; j++) if (pre[j] < threshold) pre[j] = 0;
        }
        var recons = new double[sae.DIn];
        for (int i = 0; i < sae.DIn; i++)
        {
            double s = sae.BDec[i];
            for (int j = 0; j < sae.DSae; j++) s += pre[j] * sae.WDec[j * sae.DIn + i];
            recons[i] = s;
        }
        return (pre, recons);
    }

    [Theory]
    [InlineData(SaeActivation.ReLU, 0)]
    [InlineData(SaeActivation.TopK, 5)]
    public void EncodeAndDecodeMatchTheDefinition(SaeActivation activation, int k)
    {
        var sae = RandomSae(activation, k);
        var x = Tensor.FromArray(Enumerable.Range(0, 3 * 64).Select(i => MathF.Sin(i * 0.37f)).ToArray(), 3, 64);
        var f = sae.Encode(x);
        var recons = sae.Decode(f);
        for (int r = 0; r < 3; r++)
        {
            var (nf, nr) = Naive(sae, x[r].Span);
            for (int j = 0; j < 128; j++) f[r, j].Should().BeApproximately((float)nf[j], 1e-4f);
            for (int i = 0; i < 64; i++) recons[r, i].Should().BeApproximately((float)nr[i], 1e-4f);
            if (activation == SaeActivation.TopK) f[r].Span.ToArray().Count(v => v > 0).Should().BeLessThanOrEqualTo(5);
        }
        var error = sae.Error(x);
        for (int i = 0; i < error.Length; i++) error.Span[i].Should().BeApproximately(x.Span[i] - recons.Span[i], 1e-6f);
    }

    [Fact]
    public void AnUntouchedSpliceIsAnExactNoOpAndItsPointsAreHookPoints()
    {
        var model = Tiny.Value;
        var clean = model.Run(Tokens);
        using (var splice = SaeSplice.Attach(model, RandomSae(), Site))
        {
            var (logits, cache) = model.RunWithCache(Tokens, "blocks.1.hook_resid_pre*");
            using (cache)
            {
                logits.MaxAbsDifference(clean).Should().Be(0f, "with the error term an untouched SAE changes nothing");
                // The SAE runs inside the site's hook, so its points fire first; the site then records what flows on.
                cache.Keys.Should().Equal(Site + ".hook_sae_input", Site + ".hook_sae_acts_pre", Site + ".hook_sae_acts_post",
                    Site + ".hook_sae_recons", Site + ".hook_sae_error", Site + ".hook_sae_output", Site);
                cache[Site + ".hook_sae_acts_post"].Shape.ToArray().Should().Equal(2, 6, 128);
                cache[Site + ".hook_sae_acts_post"].MaxAbsDifference(splice.Sae.Encode(cache[Site + ".hook_sae_input"])).Should().BeLessThan(1e-6f);
            }
            model.HookShape(splice.ActsPost, 2, 6).Should().Equal(2, 6, 128);
        }
        model.HookPoints.Contains(Site + ".hook_sae_acts_post").Should().BeFalse("disposing removes the SAE's points");
        model.HookCount.Should().Be(0);
        var act = () => model.AddHook(Site + ".hook_sae_acts_post", Hook.Of(_ => { }));
        act.Should().Throw<UnknownHookException>();
    }

    [Fact]
    public void WithoutTheErrorTermTheReconstructionFlowsOn()
    {
        var model = Tiny.Value;
        using var splice = SaeSplice.Attach(model, RandomSae(), Site, keepErrorTerm: false);
        var (_, cache) = model.RunWithCache(Tokens, "blocks.1.hook_resid_pre*");
        using (cache)
        {
            cache[Site + ".hook_sae_output"].MaxAbsDifference(cache[Site + ".hook_sae_recons"]).Should().Be(0f);
            cache.ContainsKey(Site + ".hook_sae_error").Should().BeFalse();
        }
    }

    [Fact]
    public void ScalingALatentChangesTheOutputByItsDecodedDifference()
    {
        var model = Tiny.Value;
        var sae = RandomSae();
        using var splice = SaeSplice.Attach(model, sae, Site);
        var (_, before) = model.RunWithCache(Tokens, "blocks.1.hook_resid_pre*");
        int latent = Enumerable.Range(0, 128).First(j => before[Site + ".hook_sae_acts_post"][0, 3, j] > 0.1f);
        using (splice.Scale([latent], 0f))
        {
            var (_, after) = model.RunWithCache(Tokens, "blocks.1.hook_resid_pre*");
            using (before) using (after)
            {
                float f = before[Site + ".hook_sae_acts_post"][0, 3, latent];
                for (int i = 0; i < 64; i++)
                    after[Site + ".hook_sae_output"][0, 3, i].Should().BeApproximately(before[Site][0, 3, i] - f * sae.WDec[latent * 64 + i], 1e-5f);
                after[Site + ".hook_sae_acts_post"][0, 3, latent].Should().Be(0f);
            }
        }
        using (splice.Clamp([latent], 9f))
        {
            var (_, clamped) = model.RunWithCache(Tokens, Site + ".hook_sae_acts_post");
            using (clamped) clamped[Site + ".hook_sae_acts_post"][0, 3, latent].Should().Be(9f);
        }
    }

    [Fact]
    public void TheDetectorKeepsTheTopActivationsOfEachLatent()
    {
        var model = Tiny.Value;
        var sae = RandomSae();
        using var splice = SaeSplice.Attach(model, sae, Site);
        var tracker = new LatentTracker(128, topK: 3);
        var batches = Enumerable.Range(0, 4).Select(s => new IntTensor(Enumerable.Range(0, 12).Select(i => (i * 7 + s * 13) % 97).ToArray(), 2, 6)).ToList();
        var all = new List<(float Value, long Seq, int Pos)>[128];
        for (int j = 0; j < 128; j++) all[j] = [];
        using (splice.Track(tracker))
        {
            long seq = 0;
            foreach (var batch in batches)
            {
                var (_, cache) = model.RunWithCache(batch, Site + ".hook_sae_acts_post");
                using (cache)
                {
                    var f = cache[Site + ".hook_sae_acts_post"];
                    for (int b = 0; b < 2; b++) for (int p = 0; p < 6; p++) for (int j = 0; j < 128; j++) all[j].Add((f[b, p, j], seq + b, p));
                }
                seq += 2;
            }
        }
        tracker.SequencesSeen.Should().Be(8);
        foreach (int j in new[] { 0, 5, 77, 127 })
        {
            var expected = all[j].OrderByDescending(e => e.Value).ThenBy(e => e.Seq).ThenBy(e => e.Pos).Take(3).Select(e => e.Value).ToArray();
            tracker.Top(j).Select(e => e.Value).Should().Equal(expected);
            tracker.FiringRate(j).Should().BeApproximately(all[j].Count(e => e.Value > 0) / 48.0, 1e-9);
        }
        var top = tracker.Top(5)[0];
        batches[(int)(top.Sequence / 2)][(int)(top.Sequence % 2), top.Position].Should().Be(top.Token);
    }

    [Fact]
    public void SaeLensFilesLoad()
    {
        var sae = RandomSae(SaeActivation.TopK, 7);
        using var folder = new TempFolder();
        SafetensorsWriter.Write(folder.File("sae_weights.safetensors"),
        [
            SafetensorsWriteEntry.Float32("W_enc", [64, 128], sae.WEnc), SafetensorsWriteEntry.Float32("b_enc", [128], sae.BEnc),
            SafetensorsWriteEntry.Float32("W_dec", [128, 64], sae.WDec), SafetensorsWriteEntry.Float32("b_dec", [64], sae.BDec),
        ]);
        File.WriteAllText(folder.File("cfg.json"), JsonSerializer.Serialize(new { d_in = 64, d_sae = 128, activation_fn_str = "topk", activation_fn_kwargs = new { k = 7 }, hook_name = Site }));
        var loaded = SparseAutoencoder.Load(folder.Path);
        (loaded.Activation, loaded.K, loaded.HookName).Should().Be((SaeActivation.TopK, 7, Site));
        var x = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => MathF.Cos(i)).ToArray(), 1, 64);
        loaded.Encode(x).MaxAbsDifference(sae.Encode(x)).Should().Be(0f);
        using var splice = SaeSplice.Attach(Tiny.Value, loaded);
        splice.Site.Name.Should().Be(Site);

        SafetensorsWriter.Write(folder.File("bad.safetensors"), [SafetensorsWriteEntry.Float32("W_enc", [64, 128], sae.WEnc), SafetensorsWriteEntry.Float32("b_enc", [100], new float[100])]);
        var bad = () => SparseAutoencoder.Load(folder.File("bad.safetensors"));
        bad.Should().Throw<InvalidDataException>().WithMessage("*bad.safetensors*b_enc*[100]*[128]*");
    }
}

using System.Text.Json;
using Glassbox.Hooks;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Loading;

/// <summary>stories260K.bin (llama2.c v0) against the fixture recorded from its Hugging Face conversion.</summary>
public class Llama2cCheckpointTests
{
    static readonly string Bin = SharedFiles.Reference("stories260K/stories260K.bin");
    static readonly Lazy<IReadOnlyList<ReferenceCase>> Cases = new(() => ReferenceCase.Load("stories260K"));

    [Fact]
    public void TheHeaderBecomesTheConfig()
    {
        var (config, _) = Llama2cCheckpoint.Read(Bin);
        (config.DModel, config.DMlp, config.NLayers, config.NHeads, config.NKeyValueHeads, config.DVocab, config.NCtx)
            .Should().Be((64, 172, 5, 8, 4, 512, 512));
        config.TiedEmbeddings.Should().BeTrue();
        config.Family.Should().Be(ModelFamily.Llama);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void PermutedToRotateHalfEveryHookMatches(int c)
    {
        var model = Llama2cCheckpoint.Load(Bin);
        var reference = Cases.Value[c];
        var (logits, cache) = model.RunWithCache(reference.Tokens, HookFilter.AnyOf(reference.HookNames));
        using (cache)
        {
            Close.Assert(logits, reference.Logits, "logits", atol: 1e-4f);
            foreach (var name in reference.HookNames) Close.Assert(cache[name], reference.Hooks[name], name, atol: 1e-4f);
        }
    }

    [Fact]
    public void InterleavedLayoutMatchesAfterPermutingTheHeadAxis()
    {
        var model = Llama2cCheckpoint.Load(Bin, Llama2cRotaryLayout.AdjacentPairs);
        model.Config.RotaryAdjacentPairs.Should().BeTrue();
        var reference = Cases.Value[1];
        var (logits, cache) = model.RunWithCache(reference.Tokens, HookFilter.AnyOf(reference.HookNames));
        using (cache)
        {
            Close.Assert(logits, reference.Logits, "logits", atol: 1e-4f);
            foreach (var name in reference.HookNames)
            {
                bool rotated = name.EndsWith("hook_q") || name.EndsWith("hook_k") || name.EndsWith("hook_rot_q") || name.EndsWith("hook_rot_k");
                var expected = rotated ? ToInterleaved(reference.Hooks[name]) : reference.Hooks[name];
                Close.Assert(cache[name], expected, name, atol: 1e-4f);
            }
        }
    }

    [Fact]
    public void GreedyContinuationsMatchRunC()
    {
        var model = Llama2cCheckpoint.Load(Bin);
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedFiles.Reference("stories260K/greedy.json")));
        foreach (var prompt in doc.RootElement.GetProperty("prompts").EnumerateArray())
        {
            var tokens = prompt.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToList();
            var expected = prompt.GetProperty("greedy").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var generated = new List<int>();
            for (int step = 0; step < expected.Length; step++)
            {
                using var logits = model.Run([.. tokens]);
                var last = logits[0][-1].Span;
                int best = 0;
                for (int v = 1; v < last.Length; v++) if (last[v] > last[best]) best = v;
                tokens.Add(best);
                generated.Add(best);
            }
            generated.Should().Equal(expected);
        }
    }

    [Fact]
    public void DamagedFilesAreNamedWithWhatIsWrong()
    {
        using var folder = new TempFolder();
        var bytes = File.ReadAllBytes(Bin);

        File.WriteAllBytes(folder.File("short.bin"), bytes[..20]);
        var tooShort = () => Llama2cCheckpoint.Read(folder.File("short.bin"));
        tooShort.Should().Throw<InvalidDataException>().WithMessage("*short.bin*28-byte header*");

        File.WriteAllBytes(folder.File("truncated.bin"), bytes[..(bytes.Length / 2)]);
        var truncated = () => Llama2cCheckpoint.Read(folder.File("truncated.bin"));
        truncated.Should().Throw<InvalidDataException>().WithMessage("*truncated.bin*ends inside*");

        File.WriteAllBytes(folder.File("long.bin"), [.. bytes, 0, 0, 0, 0]);
        var trailing = () => Llama2cCheckpoint.Read(folder.File("long.bin"));
        trailing.Should().Throw<InvalidDataException>().WithMessage("*long.bin*4 bytes follow*");

        var garbage = (byte[])bytes.Clone();
        BitConverter.GetBytes(7).CopyTo(garbage, 12);   // n_heads = 7 does not divide dim 64
        File.WriteAllBytes(folder.File("garbage.bin"), garbage);
        var implausible = () => Llama2cCheckpoint.Read(folder.File("garbage.bin"));
        implausible.Should().Throw<InvalidDataException>().WithMessage("*garbage.bin*implausible header*");
    }

    /// <summary>HF layout → llama2.c layout on the last axis: interleaved 2j ← j, 2j+1 ← j + d/2.</summary>
    static Tensor ToInterleaved(Tensor hf)
    {
        int d = hf.Dim(-1), half = d / 2;
        var result = hf.Clone();
        for (int r = 0; r < hf.Length / d; r++)
            for (int j = 0; j < half; j++)
            {
                result.Span[r * d + 2 * j] = hf.Span[r * d + j];
                result.Span[r * d + 2 * j + 1] = hf.Span[r * d + half + j];
            }
        return result;
    }
}

using System.Text.Json;
using Glassbox.Hooks;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Models;

public class GenerationTests
{
    static readonly Lazy<HookedTransformer> Stories = new(() => Llama2cCheckpoint.Load(SharedFiles.Reference("stories260K/stories260K.bin")));
    static readonly Lazy<HookedTransformer> Mini = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Models("gpt2-mini")));

    public static TheoryData<string> Models => new() { "stories260K", "gpt2-mini", "llama-tiny" };

    static HookedTransformer Load(string name) => name switch
    {
        "stories260K" => Stories.Value,
        "gpt2-mini" => Mini.Value,
        _ => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference(name)),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void CachedStepsEqualFullRecomputation(string name)
    {
        var model = Load(name);
        int vocab = model.Config.DVocab;
        var rng = new Random(3);
        var sequence = Enumerable.Range(0, 20).Select(_ => rng.Next(vocab)).ToArray();
        var cache = new KeyValueCache(model.Config, batch: 1, capacity: 4);   // small, so it must grow
        using (var prompt = model.Forward(IntTensor.FromSequence(sequence[..8]), new ForwardOptions { KeyValueCache = cache }))
            prompt.Logits!.MaxAbsDifference(model.Run(sequence[..8])).Should().BeLessThan(1e-4f);
        for (int t = 8; t < sequence.Length; t++)
        {
            using var step = model.Forward(IntTensor.FromSequence(sequence[t]), new ForwardOptions { KeyValueCache = cache });
            using var full = model.Run(sequence[..(t + 1)]);
            step.Logits![0][0].MaxAbsDifference(full[0][-1]).Should().BeLessThan(1e-4f, $"step {t} of {name}");
        }
        cache.Length.Should().Be(sequence.Length);
    }

    [Fact]
    public void GreedyGenerationReproducesRunC()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedFiles.Reference("stories260K/greedy.json")));
        foreach (var prompt in doc.RootElement.GetProperty("prompts").EnumerateArray())
        {
            var tokens = prompt.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var expected = prompt.GetProperty("greedy").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var streamed = new List<int>();
            Stories.Value.Generate(tokens, GenerationOptions.Greedy(expected.Length), streamed.Add).Should().Equal(expected);
            streamed.Should().Equal(expected, "tokens stream as they come");
        }
    }

    [Fact]
    public void WithoutTheCacheGenerationIsTheSame()
    {
        int[] prompt = [1, 291, 280, 294];
        var cached = Stories.Value.Generate(prompt, GenerationOptions.Greedy(12));
        var recomputed = Stories.Value.Generate(prompt, GenerationOptions.Greedy(12) with { UseKvCache = false });
        recomputed.Should().Equal(cached);
    }

    [Fact]
    public void BatchedGenerationWithLeftPaddingEqualsSeparateRuns()
    {
        int[][] prompts = [[697, 263, 1198, 1001, 12, 40], [45, 99], [3000, 7, 8, 9]];
        var options = GenerationOptions.Greedy(10);
        var batched = Mini.Value.Generate(prompts, options);
        for (int b = 0; b < prompts.Length; b++)
            batched[b].Should().Equal(Mini.Value.Generate(prompts[b], options), $"sequence {b}");
        var llama = Stories.Value.Generate([[1, 403, 407], [1, 291, 280, 294, 262, 294]], options);
        llama[0].Should().Equal(Stories.Value.Generate([1, 403, 407], options));
    }

    [Fact]
    public void HooksFireOnEveryStepWithStepAndPosition()
    {
        var seen = new List<(int Step, int Past, int Positions)>();
        var options = GenerationOptions.Greedy(4) with
        {
            Hooks = [("blocks.0.hook_resid_pre", Hook.Of((t, c) => seen.Add((c.Step, c.PastLength, t.Dim(1)))))],
        };
        Stories.Value.Generate([1, 403, 407], options);
        seen.Should().Equal((0, 0, 3), (1, 3, 1), (2, 4, 1), (3, 5, 1));
        Stories.Value.HookCount.Should().Be(0);
    }

    [Fact]
    public void ASteeringHookChangesWhatIsGenerated()
    {
        int[] prompt = [1, 403, 407, 261, 378];
        var plain = Stories.Value.Generate(prompt, GenerationOptions.Greedy(10));
        var steered = Stories.Value.Generate(prompt, GenerationOptions.Greedy(10) with
        {
            Hooks = [("blocks.2.hook_resid_post", Hook.Of(t => TensorPrimitivesAdd(t, 3f)))],
        });
        steered.Should().NotEqual(plain);
    }

    [Fact]
    public void SamplingIsSeededAndTopKOneIsGreedy()
    {
        int[] prompt = [1, 291, 280];
        var a = Stories.Value.Generate(prompt, new GenerationOptions { MaxNewTokens = 15, Temperature = 1.2f, Seed = 42, TopP = 0.95f });
        var b = Stories.Value.Generate(prompt, new GenerationOptions { MaxNewTokens = 15, Temperature = 1.2f, Seed = 42, TopP = 0.95f });
        b.Should().Equal(a);
        var c = Stories.Value.Generate(prompt, new GenerationOptions { MaxNewTokens = 15, Temperature = 1.2f, Seed = 43 });
        c.Should().NotEqual(a, "another seed samples other tokens");
        Stories.Value.Generate(prompt, new GenerationOptions { MaxNewTokens = 15, Temperature = 0.7f, TopK = 1, Seed = 1 })
            .Should().Equal(Stories.Value.Generate(prompt, GenerationOptions.Greedy(15)));
    }

    [Fact]
    public void StopTokensEndASequenceAndAreIncluded()
    {
        int[] prompt = [1, 291, 280, 294, 262, 294, 353, 265, 284, 294, 269];
        var free = Stories.Value.Generate(prompt, GenerationOptions.Greedy(10));
        int stopAt = free[3];
        var stopped = Stories.Value.Generate(prompt, GenerationOptions.Greedy(10) with { StopTokens = [stopAt] });
        stopped.Should().Equal(free[..(Array.IndexOf(free, stopAt) + 1)]);
    }

    [Fact]
    public async Task StreamingYieldsTheSameTokens()
    {
        int[] prompt = [1, 403, 407];
        var streamed = new List<int>();
        await foreach (var token in Stories.Value.GenerateAsync(prompt, GenerationOptions.Greedy(8)))
            streamed.Add(token);
        streamed.Should().Equal(Stories.Value.Generate(prompt, GenerationOptions.Greedy(8)));
    }

    static void TensorPrimitivesAdd(Tensor t, float value) => System.Numerics.Tensors.TensorPrimitives.Add(t.Span, value, t.Span);
}

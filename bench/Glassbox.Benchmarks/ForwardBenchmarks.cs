using BenchmarkDotNet.Attributes;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Benchmarks;

/// <summary>
/// A GPT-2-small-shaped forward pass (12 layers, 768 wide, 12 heads, vocab 50257, seeded random
/// weights) for 1×128 and 8×128 tokens, plain and with every (non-gated) hook cached.
/// Run: dotnet run -c Release --project bench/Glassbox.Benchmarks -- --filter '*ForwardBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ForwardBenchmarks
{
    HookedTransformer _model = null!;
    IntTensor _tokens = null!;

    [Params(1, 8)]
    public int Batch { get; set; }

    [Params(128)]
    public int Sequence { get; set; }

    [Params(false, true)]
    public bool CacheEverything { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = ModelConfig.Gpt2Small;
        _model = new HookedTransformer(config, RandomWeights.Create(config, seed: 1));
        var rng = new Random(2);
        _tokens = new IntTensor(Enumerable.Range(0, Batch * Sequence).Select(_ => rng.Next(config.DVocab)).ToArray(), Batch, Sequence);
    }

    [Benchmark]
    public float Forward()
    {
        if (!CacheEverything)
        {
            using var result = _model.Forward(_tokens);
            return result.Logits!.Span[0];
        }
        var (logits, cache) = _model.RunWithCache(_tokens, HookFilter.All);
        using (logits)
        using (cache) return logits.Span[0] + cache.Count;
    }
}

using BenchmarkDotNet.Attributes;
using Glassbox.Models;

namespace Glassbox.Benchmarks;

/// <summary>
/// Greedy generation, 32 prompt tokens + 32 new tokens, with and without the KV cache, for
/// stories260K (.bin) and a LLaMA-7B-shaped single layer (see <see cref="GenerationModels"/>).
/// The time reported is per new token (prompt processing included), so 1 s / Mean = tokens per second.
/// A few iterations only: one no-cache 7B-layer generation takes seconds.
/// Run: dotnet run -c Release --project bench/Glassbox.Benchmarks -- --filter '*GenerationBenchmarks*'
/// (or `generation-quick` for numbers in about a minute).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class GenerationBenchmarks
{
    HookedTransformer _model = null!;
    int[] _prompt = [];
    GenerationOptions _options = null!;

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    public static IEnumerable<string> Models => GenerationModels.Names;

    [Params(true, false)]
    public bool KvCache { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _model = GenerationModels.Load(Model);
        _prompt = GenerationModels.Prompt(_model.Config);
        _options = GenerationModels.Options(KvCache);
    }

    [Benchmark(OperationsPerInvoke = GenerationModels.NewTokens)]
    public int Generate() => _model.Generate(_prompt, _options)[^1];
}

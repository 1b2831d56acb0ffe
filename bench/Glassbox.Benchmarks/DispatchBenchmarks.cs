using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Benchmarks;

/// <summary>
/// Hook dispatch on a tiny model (2 layers, d_model 32, 8 tokens, so the pass is short and hooks
/// show): N no-op observer sets attached, each observing four points per layer (8 hook calls per
/// run per set), generated (<see cref="NoopObserver"/>) or string-API lambdas, against none.
/// Run: dotnet run -c Release --project bench/Glassbox.Benchmarks -- --filter '*DispatchBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class DispatchBenchmarks
{
    HookedTransformer _model = null!;
    IntTensor _tokens = null!;
    readonly List<IDisposable> _scopes = [];

    [Params(0, 1, 64)]
    public int Sets { get; set; }

    [Params(false, true)]
    public bool Generated { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = new ModelConfig { ModelName = "dispatch", NLayers = 2, DModel = 32, NHeads = 4, DVocab = 64, NCtx = 16 }.Validated();
        _model = new HookedTransformer(config, RandomWeights.Create(config, seed: 3));
        _tokens = IntTensor.FromSequence(Enumerable.Range(0, 8).Select(i => (i * 37) % 64).ToArray());
        for (int s = 0; s < Sets; s++)
        {
            if (Generated) _scopes.Add(_model.Attach(new NoopObserver()));
            else
                _scopes.Add(_model.Hooks(
                    ("blocks.*.hook_resid_pre", Hook.Of((_, _) => { })),
                    ("blocks.*.attn.hook_pattern", Hook.Of((_, _) => { })),
                    ("blocks.*.mlp.hook_post", Hook.Of((_, _) => { })),
                    ("blocks.*.hook_resid_post", Hook.Of((_, _) => { }))));
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var scope in _scopes) scope.Dispose();
        _scopes.Clear();
    }

    [Benchmark]
    public float Run()
    {
        using var logits = _model.Run(_tokens);
        return logits.Span[0];
    }
}

/// <summary>
/// One hook call in isolation, as the forward pass makes it: the generated observer's delegate
/// (typed view + handler call) against a string-API lambda taking the raw tensor.
/// Run: dotnet run -c Release --project bench/Glassbox.Benchmarks -- --filter '*HookCallBenchmarks*'
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class HookCallBenchmarks
{
    const int Calls = 1024;
    HookFunction _generated = null!;
    HookFunction _lambda = null!;
    Tensor _activation = null!;
    HookContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var config = new ModelConfig { ModelName = "dispatch", NLayers = 2, DModel = 32, NHeads = 4, DVocab = 64, NCtx = 16 }.Validated();
        var model = new HookedTransformer(config, RandomWeights.Create(config, seed: 3));
        var builder = new HookSetBuilder(model);
        ((IHookSet)new NoopObserver()).Register(builder);
        _generated = builder.Bindings[2].Function;                 // OnPattern(ReadOnlyAttentionPattern, int layer)
        _lambda = Hook.Of((_, _) => { });
        _activation = Tensor.Zeros(1, 4, 8, 8);
        _context = new HookContext(model.HookPoints["blocks.0.attn.hook_pattern"], model, null, null, 0, -1);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public int StringApiLambda()
    {
        int n = 0;
        for (int i = 0; i < Calls; i++) n += _lambda(_activation, _context) is null ? 1 : 0;
        return n;
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public int GeneratedObserver()
    {
        int n = 0;
        for (int i = 0; i < Calls; i++) n += _generated(_activation, _context) is null ? 1 : 0;
        return n;
    }
}

/// <summary>Four no-op observers on every layer (generated registration).</summary>
public sealed partial class NoopObserver
{
    [Hook("blocks.<L>.hook_resid_pre")]
    void OnResidPre(ReadOnlyResidual resid) { }

    [Hook("blocks.<L>.attn.hook_pattern")]
    void OnPattern(ReadOnlyAttentionPattern pattern, int layer) { }

    [Hook("blocks.<L>.mlp.hook_post")]
    void OnNeurons(ReadOnlyNeurons neurons, HookContext context) { }

    [Hook("blocks.<L>.hook_resid_post")]
    void OnResidPost(ReadOnlyResidual resid) { }
}

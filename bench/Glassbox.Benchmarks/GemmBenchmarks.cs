using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Glassbox.Tensors;

namespace Glassbox.Benchmarks;

/// <summary>
/// Packed GEMM on GPT-2-small shapes: T×K·K×N for T = 64 and 512 tokens, on 1 and 2 threads.
/// The GFLOP/s column is 2·T·N·K / mean time. B is packed once in setup, as the model does at load.
/// Quicker alternative: <c>dotnet run -c Release --project bench/Glassbox.Benchmarks -- gemm-quick</c>.
/// </summary>
[Config(typeof(Config))]
public class GemmBenchmarks
{
    private float[] _a = [];
    private float[] _c = [];
    private PackedMatrix _b = null!;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = GemmShape.Gpt2Small[0];

    [Params(64, 512)]
    public int T { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<GemmShape> Shapes => GemmShape.Gpt2Small;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _a = RandomArray(random, T * Shape.K);
        _b = PackedMatrix.Pack(RandomArray(random, Shape.K * Shape.N), Shape.K, Shape.N);
        _c = new float[T * Shape.N];
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply(_a, T, _b, _c, maxThreads: Threads);

    internal static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
            values[i] = random.NextSingle() * 2 - 1;
        return values;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new GflopsColumn());
    }

    /// <summary>2·T·N·K divided by the mean time of the case.</summary>
    private sealed class GflopsColumn : IColumn
    {
        public string Id => nameof(GflopsColumn);
        public string ColumnName => "GFLOP/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "2·T·N·K / mean time, in 10^9 floating-point operations per second";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } statistics)
                return "-";
            var shape = (GemmShape)benchmarkCase.Parameters["Shape"];
            int t = (int)benchmarkCase.Parameters["T"];
            return (shape.Flops(t) / statistics.Mean).ToString("F1"); // flops per ns = GFLOP/s
        }
    }
}

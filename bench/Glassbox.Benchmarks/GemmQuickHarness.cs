using System.Diagnostics;
using System.Globalization;
using Glassbox.Tensors;

namespace Glassbox.Benchmarks;

/// <summary>
/// A fast stand-in for the BenchmarkDotNet suite (seconds rather than many minutes): each case is
/// warmed up, then timed over repeated runs for about <c>seconds</c>; reports the best and median
/// GFLOP/s (best is the robust figure when other processes share the cores).
/// Usage: <c>gemm-quick [seconds-per-case] [cold] [t=64,512] [shape-name-filter]</c>. With <c>cold</c>, each
/// run uses the next of several packed copies of B totalling ≥ 96 MB, so B comes from DRAM as it
/// does for a real model's weights rather than from a warm L3.
/// </summary>
public static class GemmQuickHarness
{
    public static void Run(string[] args)
    {
        double budget = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 1.0;
        bool cold = args.Contains("cold");
        int[] tokens = args.FirstOrDefault(a => a.StartsWith("t=", StringComparison.Ordinal)) is { } list
            ? list[2..].Split(',').Select(int.Parse).ToArray()
            : [64, 512];
        string? filter = args.Skip(1).FirstOrDefault(a => a != "cold" && !a.StartsWith("t=", StringComparison.Ordinal));
        Console.WriteLine($"cores={Environment.ProcessorCount} budget={budget}s/case cold={cold}");
        Console.WriteLine($"{"shape",-22} {"T",4} {"thr",3} {"best GF/s",10} {"median",8} {"runs",5}");
        var random = new Random(42);
        foreach (var shape in GemmShape.Gpt2Small.Where(s => filter == null || s.Name.Contains(filter)))
        {
            long bytes = 4L * shape.K * shape.N;
            int copies = cold ? (int)Math.Max(1, (96L << 20) / bytes + 1) : 1;
            var weights = GemmBenchmarks.RandomArray(random, shape.K * shape.N);
            ReportPacking(shape, weights);
            var packed = Enumerable.Range(0, copies).Select(_ => PackedMatrix.Pack(weights, shape.K, shape.N)).ToArray();
            foreach (int t in tokens)
            {
                var a = GemmBenchmarks.RandomArray(random, t * shape.K);
                var c = new float[t * shape.N];
                foreach (int threads in new[] { 1, 2 })
                {
                    for (int i = 0; i < 3; i++)
                        Gemm.Multiply(a, t, packed[i % copies], c, maxThreads: threads);
                    var times = new List<double>();
                    var total = Stopwatch.StartNew();
                    while (total.Elapsed.TotalSeconds < budget || times.Count < 5)
                    {
                        var b = packed[times.Count % copies];
                        long start = Stopwatch.GetTimestamp();
                        Gemm.Multiply(a, t, b, c, maxThreads: threads);
                        times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
                    }
                    times.Sort();
                    double flops = shape.Flops(t);
                    Console.WriteLine($"{shape,-22} {t,4} {threads,3} {flops / times[0] / 1e9,10:F1} {flops / times[times.Count / 2] / 1e9,8:F1} {times.Count,5}");
                }
            }
        }
    }

    // One-off cost at model load: packing B from [K,N] and from its transpose [N,K].
    private static void ReportPacking(GemmShape shape, float[] weights)
    {
        PackedMatrix.Pack(weights, shape.K, shape.N); // warm-up (JIT, page faults of a first allocation)
        long start = Stopwatch.GetTimestamp();
        PackedMatrix.Pack(weights, shape.K, shape.N);
        double pack = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        start = Stopwatch.GetTimestamp();
        PackedMatrix.PackTransposed(weights, shape.K, shape.N);
        double packT = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Console.WriteLine($"{shape,-22} pack {pack:F1} ms, pack transposed {packT:F1} ms");
    }
}

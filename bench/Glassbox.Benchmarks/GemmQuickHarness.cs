using System.Diagnostics;
using Glassbox.Tensors;

namespace Glassbox.Benchmarks;

/// <summary>
/// A fast stand-in for the BenchmarkDotNet suite (seconds rather than many minutes): each case is
/// warmed up, then timed over repeated runs for about <c>budget</c> seconds; reports the best and
/// median GFLOP/s. Usage: <c>gemm-quick [seconds-per-case]</c>.
/// </summary>
public static class GemmQuickHarness
{
    public static void Run(string[] args)
    {
        double budget = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1.0;
        Console.WriteLine($"cores={Environment.ProcessorCount} budget={budget}s/case");
        Console.WriteLine($"{"shape",-22} {"T",4} {"thr",3} {"best GF/s",10} {"median",8} {"runs",5}");
        var random = new Random(42);
        foreach (var shape in GemmShape.Gpt2Small)
        {
            var b = PackedMatrix.Pack(GemmBenchmarks.RandomArray(random, shape.K * shape.N), shape.K, shape.N);
            foreach (int t in new[] { 64, 512 })
            {
                var a = GemmBenchmarks.RandomArray(random, t * shape.K);
                var c = new float[t * shape.N];
                foreach (int threads in new[] { 1, 2 })
                {
                    for (int i = 0; i < 3; i++)
                        Gemm.Multiply(a, t, b, c, maxThreads: threads);
                    var times = new List<double>();
                    var total = Stopwatch.StartNew();
                    while (total.Elapsed.TotalSeconds < budget || times.Count < 5)
                    {
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
}

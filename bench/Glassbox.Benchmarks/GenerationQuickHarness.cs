using System.Diagnostics;
using System.Globalization;

namespace Glassbox.Benchmarks;

/// <summary>
/// A fast stand-in for <see cref="GenerationBenchmarks"/>: for each model, greedy generation of 32
/// new tokens after a 32-token prompt, with and without the KV cache; one warm-up, then timed runs
/// for about <c>seconds</c> (at least 3). Reports tokens per second over the whole call (prompt
/// included; best and median run), the time to the first new token (prompt processing), the decode
/// rate after it, and the KV cache's speed-up. Best is the robust figure when other processes share the cores.
/// Usage: <c>generation-quick [seconds-per-case] [model-name-filter]</c>.
/// </summary>
public static class GenerationQuickHarness
{
    public static void Run(string[] args)
    {
        double budget = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 2.0;
        string? filter = args.Skip(1).FirstOrDefault();
        Console.WriteLine($"cores={Environment.ProcessorCount} budget={budget}s/case prompt={GenerationModels.PromptTokens} new={GenerationModels.NewTokens} greedy");
        Console.WriteLine($"{"model",-16} {"kv",-5} {"best tok/s",10} {"median",8} {"1st tok ms",10} {"decode tok/s",12} {"runs",5}");
        foreach (string name in GenerationModels.Names.Where(n => filter is null || n.Contains(filter, StringComparison.OrdinalIgnoreCase)))
        {
            var load = Stopwatch.StartNew();
            var model = GenerationModels.Load(name);
            Console.WriteLine($"{name}: {model.Config.ParameterCount / 1e6:F2} M parameters, loaded in {load.Elapsed.TotalSeconds:F1} s");
            int[] prompt = GenerationModels.Prompt(model.Config);
            var best = new Dictionary<bool, double>();
            foreach (bool kv in new[] { true, false })
            {
                var options = GenerationModels.Options(kv);
                Time(model, prompt, options); // warm-up: JIT, buffer pool
                var runs = new List<(double Total, double First)>();
                var total = Stopwatch.StartNew();
                while (total.Elapsed.TotalSeconds < budget || runs.Count < 3)
                    runs.Add(Time(model, prompt, options));
                var totals = runs.Select(r => r.Total).Order().ToList();
                var firsts = runs.Select(r => r.First).Order().ToList();
                var decode = runs.Select(r => r.Total - r.First).Order().ToList();
                int n = GenerationModels.NewTokens;
                best[kv] = n / totals[0];
                Console.WriteLine($"{name,-16} {(kv ? "on" : "off"),-5} {n / totals[0],10:F1} {n / totals[totals.Count / 2],8:F1} " +
                    $"{firsts[firsts.Count / 2] * 1e3,10:F1} {(n - 1) / decode[decode.Count / 2],12:F1} {runs.Count,5}");
            }
            Console.WriteLine($"{name,-16} KV cache speed-up (best tok/s): {best[true] / best[false]:F2}x");
        }
    }

    /// <summary>Seconds for the whole generation and until the first new token arrives.</summary>
    static (double Total, double First) Time(Glassbox.Models.HookedTransformer model, int[] prompt, Glassbox.Models.GenerationOptions options)
    {
        double first = 0;
        long start = Stopwatch.GetTimestamp();
        int count = model.Generate(prompt, options, _ =>
        {
            if (first == 0) first = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }).Length;
        double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (count != GenerationModels.NewTokens) throw new InvalidOperationException($"generated {count} tokens, expected {GenerationModels.NewTokens}");
        return (elapsed, first);
    }
}

using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox bench --preset gpt2-small [--batch 1] [--seq 128] [--cache none|all|everything] [--runs 10] [--warmup 2] [--seed 0]</c>:
/// times forward passes of a preset shape with seeded random weights on random tokens and prints
/// JSON (median, min, mean, max in ms, tokens per second). For quick numbers; <c>bench/</c> holds
/// the BenchmarkDotNet suite.
/// </summary>
public static class BenchCommand
{
    static readonly string[] CacheModes = ["none", "all", "everything"];

    public static Command Create(CliContext context)
    {
        var preset = new Option<string>("--preset") { Description = $"The model shape to time: {ModelPresets.Names}.", DefaultValueFactory = _ => "gpt2-small" };
        var batch = CliOptions.Integer("--batch", "Sequences per forward pass.", 1, min: 1);
        var seq = CliOptions.Integer("--seq", "Tokens per sequence.", 128, min: 1);
        var cache = new Option<string>("--cache")
        {
            Description = "What each pass records: none (Run), all (RunWithCache, the default non-gated set) or everything (gated points too).",
            DefaultValueFactory = _ => "none",
        };
        var runs = CliOptions.Integer("--runs", "Timed forward passes.", 10, min: 1);
        var warmup = CliOptions.Integer("--warmup", "Untimed passes before the timed ones (JIT, buffer pool).", 2, min: 0);
        var seed = CliOptions.Integer("--seed", "Seed for the random weights and tokens.", 0);
        var command = new Command("bench", "Time forward passes of a preset model shape with random weights; prints JSON.")
        {
            preset, batch, seq, cache, runs, warmup, seed,
        };
        command.SetAction(parse => context.Execute(() => Run(context, new Settings(
            parse.GetValue(preset)!, parse.GetValue(batch), parse.GetValue(seq), parse.GetValue(cache)!,
            parse.GetValue(runs), parse.GetValue(warmup), parse.GetValue(seed)))));
        return command;
    }

    sealed record Settings(string Preset, int Batch, int Seq, string Cache, int Runs, int Warmup, int Seed);

    static int Run(CliContext context, Settings s)
    {
        string mode = s.Cache.Trim().ToLowerInvariant();
        if (!CacheModes.Contains(mode)) throw new UsageException($"--cache must be none, all or everything (got '{s.Cache}').");
        var config = ModelPresets.Resolve(s.Preset);
        if (config.PositionalEmbedding != PositionalEmbeddingType.Rotary && s.Seq > config.NCtx)
            throw new UsageException($"--seq {s.Seq} exceeds the context of '{config.ModelName}' ({config.NCtx}).");
        HookFilter? filter = mode switch { "all" => HookFilter.All, "everything" => HookFilter.Everything, _ => null };

        var model = new HookedTransformer(config, RandomWeights.Create(config, s.Seed));
        var rng = new Random(s.Seed);
        var data = new int[s.Batch * s.Seq];
        for (int i = 0; i < data.Length; i++) data[i] = rng.Next(config.DVocab);
        var tokens = new IntTensor(data, s.Batch, s.Seq);

        void Pass()
        {
            context.Cancellation.ThrowIfCancellationRequested();
            if (filter is null)
            {
                model.Run(tokens).Dispose();
                return;
            }
            var (logits, cache) = model.RunWithCache(tokens, filter);
            cache.Dispose();
            logits.Dispose();
        }

        for (int i = 0; i < s.Warmup; i++) Pass();
        var times = new double[s.Runs];
        for (int i = 0; i < s.Runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Pass();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        double median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[times.Length / 2 - 1] + times[times.Length / 2]) / 2;
        var result = new JsonObject
        {
            ["preset"] = config.ModelName,
            ["batch"] = s.Batch,
            ["seq"] = s.Seq,
            ["cache"] = mode,
            ["runs"] = s.Runs,
            ["warmup"] = s.Warmup,
            ["seed"] = s.Seed,
            ["median_ms"] = Math.Round(median, 3),
            ["min_ms"] = Math.Round(times[0], 3),
            ["mean_ms"] = Math.Round(times.Average(), 3),
            ["max_ms"] = Math.Round(times[^1], 3),
            ["tokens_per_second"] = Math.Round(s.Batch * s.Seq / (median / 1000), 1),
            ["cache_bytes"] = filter is null ? 0 : model.EstimateCacheBytes(filter, s.Batch, s.Seq),
            ["parameter_count"] = config.ParameterCount,
            ["threads"] = Environment.ProcessorCount,
        };
        context.Out.WriteLine(result.ToJsonString(CliJson.Options));
        return ExitCodes.Success;
    }
}

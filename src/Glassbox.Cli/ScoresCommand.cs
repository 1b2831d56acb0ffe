using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Glassbox.Analysis;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox scores &lt;model&gt; --kind induction|prev-token|duplicate [--seq-len N] [--batch 10] [--seed 0] [--json]</c>:
/// ARENA's per-head attention scores (<see cref="HeadScores"/>) on sequences of random tokens repeated
/// twice, after the tokenizer's BOS when it has one: a [layer, head] table with layers as rows, and the
/// top heads. <c>--seq-len</c> defaults to 50, or to as many as fit the context twice.
/// </summary>
public static class ScoresCommand
{
    const int DefaultSeqLength = 50;
    const int TopCount = 5;
    static readonly string[] Kinds = ["induction", "prev-token", "duplicate"];

    public static Command Create(CliContext context)
    {
        var model = CliOptions.ModelPath("model", AnalysisModel.ArgumentDescription, optional: false);
        var kind = new Option<string?>("--kind")
        {
            Description = "induction (attention to the token after the earlier occurrence), prev-token (to the previous token) or duplicate (to the earlier occurrence).",
        };
        var seqLength = CliOptions.OptionalInteger("--seq-len",
            $"Random tokens per copy (each sequence is BOS, if any, and two copies). Default {DefaultSeqLength}, or as many as fit the context.", min: 1);
        var batch = CliOptions.Integer("--batch", "Sequences to average over.", 10, min: 1);
        var seed = CliOptions.Integer("--seed", "Seed for the random tokens.", 0);
        var json = new Option<bool>("--json") { Description = "Print JSON (the [layer][head] scores and the top heads) instead of a table." };
        var command = new Command("scores", "Per-head induction, previous-token or duplicate-token scores on repeated random tokens, as a [layer, head] table.")
        {
            model, kind, seqLength, batch, seed, json,
        };
        command.SetAction(parse => context.Execute(() => Run(context, new Settings(
            parse.GetValue(model), parse.GetValue(kind), parse.GetValue(seqLength), parse.GetValue(batch), parse.GetValue(seed), parse.GetValue(json)))));
        return command;
    }

    sealed record Settings(string? Model, string? Kind, int? SeqLength, int Batch, int Seed, bool Json);

    static int Run(CliContext context, Settings s)
    {
        // Everything that can be checked without the weights is checked first.
        if (s.Kind is null) throw new UsageException("give the score with --kind induction, prev-token or duplicate.");
        string kind = s.Kind.Trim().ToLowerInvariant();
        if (!Kinds.Contains(kind)) throw new UsageException($"--kind must be induction, prev-token or duplicate (got '{s.Kind}').");
        var target = AnalysisModel.Require(s.Model);
        var config = target.Config;
        int? bos = target.Bos;
        int prefix = bos is null ? 0 : 1;
        bool bounded = config.PositionalEmbedding != PositionalEmbeddingType.Rotary;
        int fitting = (config.NCtx - prefix) / 2;
        int seqLength = s.SeqLength ?? (bounded ? Math.Min(DefaultSeqLength, fitting) : DefaultSeqLength);
        if (bounded && seqLength > fitting)
            throw new UsageException(
                $"--seq-len {seqLength} makes sequences of {prefix + 2 * seqLength} tokens ({(bos is null ? "" : "BOS + ")}2 × {seqLength}), more than the context of '{config.ModelName}' ({config.NCtx}); use at most {fitting}.");
        if (seqLength < 1) throw new UsageException($"the context of '{config.ModelName}' ({config.NCtx}) is too short for repeated sequences.");

        context.Cancellation.ThrowIfCancellationRequested();
        var model = target.Load();
        context.Cancellation.ThrowIfCancellationRequested();
        var scores = kind switch
        {
            "induction" => HeadScores.Induction(model, seqLength, s.Batch, s.Seed, bos),
            "prev-token" => HeadScores.PreviousToken(model, seqLength, s.Batch, s.Seed, bos),
            _ => HeadScores.DuplicateToken(model, seqLength, s.Batch, s.Seed, bos),
        };
        var top = Top(scores);

        if (s.Json)
        {
            var root = new JsonObject
            {
                ["model"] = config.ModelName,
                ["kind"] = kind,
                ["seq_len"] = seqLength,
                ["batch"] = s.Batch,
                ["seed"] = s.Seed,
                ["bos"] = bos,
                ["scores"] = CliJson.Nested(scores),
                ["top"] = new JsonArray(top.Select(t => (JsonNode?)new JsonObject
                {
                    ["name"] = t.Head.ToString(),
                    ["layer"] = t.Head.Layer,
                    ["head"] = t.Head.Head,
                    ["score"] = t.Score,
                }).ToArray()),
            };
            context.Out.Write(root.ToJsonString(CliJson.Options) + Environment.NewLine);
            return ExitCodes.Success;
        }

        var w = new StringBuilder();
        w.Append($"{kind} scores of {config.ModelName}: {s.Batch} sequence{(s.Batch == 1 ? "" : "s")} of {seqLength} random tokens repeated twice");
        w.Append(bos is null ? $", seed {s.Seed}\n\n" : $" after BOS ({bos}), seed {s.Seed}\n\n");
        var table = new TextTable().Header(["", .. Enumerable.Range(0, scores.Dim(1)).Select(h => $"H{h}")]);
        for (int l = 0; l < scores.Dim(0); l++)
            table.Row([$"L{l}", .. Enumerable.Range(0, scores.Dim(1)).Select(h => TextFormat.Fixed(scores[l, h]))]);
        w.Append(table).Append('\n');
        w.Append("top heads: ").Append(string.Join(", ", top.Select(t => $"{t.Head} {TextFormat.Fixed(t.Score)}"))).Append('\n');
        context.Out.Write(w.ToString());
        return ExitCodes.Success;
    }

    /// <summary>The highest-scoring heads, best first (ties in layer, head order).</summary>
    static List<(HeadRef Head, float Score)> Top(Tensor scores)
        => (from l in Enumerable.Range(0, scores.Dim(0))
            from h in Enumerable.Range(0, scores.Dim(1))
            select (new HeadRef(l, h), scores[l, h]))
            .OrderByDescending(t => t.Item2)
            .Take(TopCount)
            .ToList();
}

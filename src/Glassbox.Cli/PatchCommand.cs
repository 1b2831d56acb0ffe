using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox patch &lt;model&gt; --clean "…" --corrupted "…" --answer "…" --wrong "…" [--metric logit-diff]
/// [--kind resid-pre|attn-out|mlp-out|heads-all-pos|heads-by-pos|block-every|heads-every] [--position -1] [--no-bos] [--json]</c>:
/// activation patching as TransformerLens's <c>patching</c> module does it (<see cref="Patching"/>): run
/// the corrupted text, copy one activation from the clean run, and record the logit difference
/// answer − wrong. Tables have TransformerLens's shapes, with the tokens as column labels; the clean
/// and corrupted metrics are printed too. Clean and corrupted must tokenize to the same length.
/// </summary>
public static class PatchCommand
{
    /// <summary>A kind of patching: what it patches (the clean cache must hold those points) and how to lay out the result.</summary>
    sealed record Kind(string Name, string[] Points, bool NeedsMlp, string[] Axes, string[]? Parts,
        Func<Glassbox.Models.HookedTransformer, IntTensor, ActivationCache, Metric, PatchingOptions, Tensor> Run);

    static readonly Kind[] Kinds =
    [
        new("resid-pre", [".hook_resid_pre"], false, ["layer", "pos"], null, Patching.ResidPre),
        new("attn-out", [".hook_attn_out"], false, ["layer", "pos"], null, Patching.AttnOut),
        new("mlp-out", [".hook_mlp_out"], true, ["layer", "pos"], null, Patching.MlpOut),
        new("heads-all-pos", [".attn.hook_z"], false, ["layer", "head"], null, Patching.AttnHeadOutAllPos),
        new("heads-by-pos", [".attn.hook_z"], false, ["layer", "pos", "head"], null, Patching.AttnHeadOutByPos),
        new("block-every", [".hook_resid_pre", ".hook_attn_out", ".hook_mlp_out"], true, ["part", "layer", "pos"],
            ["resid_pre", "attn_out", "mlp_out"], Patching.BlockEvery),
        new("heads-every", [".attn.hook_z", ".attn.hook_q", ".attn.hook_k", ".attn.hook_v", ".attn.hook_pattern"], false, ["part", "layer", "head"],
            ["output", "query", "key", "value", "pattern"], Patching.AttnHeadAllPosEvery),
    ];

    static string KindNames => string.Join(", ", Kinds.Select(k => k.Name));

    public static Command Create(CliContext context)
    {
        var model = CliOptions.ModelPath("model", AnalysisModel.ArgumentDescription, optional: false);
        var clean = new Option<string?>("--clean") { Description = "The clean text, whose activations are patched in (BOS first unless --no-bos; for 'demo', words)." };
        var corrupted = new Option<string?>("--corrupted") { Description = "The corrupted text that is run and patched; must tokenize to as many tokens as --clean." };
        var metric = new Option<string>("--metric") { Description = "What each patched run is scored by: logit-diff (answer − wrong at --position).", DefaultValueFactory = _ => "logit-diff" };
        var answer = new Option<string?>("--answer") { Description = "The clean run's answer (one token)." };
        var wrong = new Option<string?>("--wrong") { Description = "The corrupted run's answer (one token)." };
        var kind = new Option<string>("--kind")
        {
            Description = "What to patch: resid-pre, attn-out, mlp-out ([layer, pos]), heads-all-pos ([layer, head]), heads-by-pos ([layer, pos, head]), " +
                "block-every ([3, layer, pos]) or heads-every (output, q, k, v, pattern: [5, layer, head]).",
            DefaultValueFactory = _ => "resid-pre",
        };
        var position = CliOptions.Integer("--position", "The position the logit difference is read at; negative counts from the end.", -1);
        var noBos = new Option<bool>("--no-bos") { Description = "Do not put the tokenizer's BOS token before the texts." };
        var json = new Option<bool>("--json") { Description = "Print JSON (the result in TransformerLens's shape, tokens, clean and corrupted metric) instead of tables." };
        var command = new Command("patch", "Activation patching: the logit difference when one activation of the corrupted run comes from the clean run.")
        {
            model, clean, corrupted, metric, answer, wrong, kind, position, noBos, json,
        };
        command.SetAction(parse => context.Execute(() => Run(context, new Settings(
            parse.GetValue(model), parse.GetValue(clean), parse.GetValue(corrupted), parse.GetValue(metric)!, parse.GetValue(answer),
            parse.GetValue(wrong), parse.GetValue(kind)!, parse.GetValue(position), parse.GetValue(noBos), parse.GetValue(json)))));
        return command;
    }

    sealed record Settings(string? Model, string? Clean, string? Corrupted, string Metric, string? Answer, string? Wrong, string Kind,
        int Position, bool NoBos, bool Json);

    static int Run(CliContext context, Settings s)
    {
        // Everything that can be checked without the weights is checked first.
        if (s.Clean is null || s.Corrupted is null) throw new UsageException("give both texts: --clean \"…\" and --corrupted \"…\".");
        if (s.Metric.Trim().ToLowerInvariant() != "logit-diff") throw new UsageException($"--metric must be logit-diff (got '{s.Metric}').");
        if (s.Answer is null || s.Wrong is null) throw new UsageException("--metric logit-diff needs --answer (the clean answer) and --wrong (the corrupted one), one token each.");
        var kind = Kinds.FirstOrDefault(k => k.Name == s.Kind.Trim().ToLowerInvariant())
            ?? throw new UsageException($"--kind must be one of {KindNames} (got '{s.Kind}').");
        var target = AnalysisModel.Require(s.Model);
        if (kind.NeedsMlp && target.Config.AttnOnly)
            throw new UsageException($"--kind {kind.Name} patches MLP outputs, and '{target.Name}' is attention-only; use resid-pre, attn-out or the head kinds.");
        int[] cleanIds = target.EncodeText(s.Clean, "--clean", prependBos: !s.NoBos);
        int[] corruptedIds = target.EncodeText(s.Corrupted, "--corrupted", prependBos: !s.NoBos);
        if (cleanIds.Length != corruptedIds.Length)
            throw new UsageException(
                $"--clean is {cleanIds.Length} tokens but --corrupted is {corruptedIds.Length}; patching copies activations position by position, so both must tokenize to the same length " +
                $"(clean: {Pieces(target, cleanIds)}; corrupted: {Pieces(target, corruptedIds)}).");
        int position = AttributionCommand.ResolvePosition(s.Position, cleanIds.Length, "--position");
        int answer = target.EncodeAnswer(s.Answer, "--answer");
        int wrong = target.EncodeAnswer(s.Wrong, "--wrong");
        if (wrong == answer) throw new UsageException($"--wrong is the same token as --answer ({TextFormat.Quoted(target.Pieces([answer])[0])}); the logit difference would be 0.");

        context.Cancellation.ThrowIfCancellationRequested();
        var model = target.Load();
        context.Cancellation.ThrowIfCancellationRequested();

        var metric = Metrics.LogitDifference(answer, wrong, position);
        var cleanTokens = IntTensor.FromSequence(cleanIds);
        var corruptedTokens = IntTensor.FromSequence(corruptedIds);
        var (result, cleanMetric, corruptedMetric) = ProgressDisplay.Run(context, progress =>
        {
            var (cleanLogits, cache) = model.RunWithCache(cleanTokens, HookFilter.Where(name => kind.Points.Any(p => name.EndsWith(p, StringComparison.Ordinal))));
            using (cache)
            {
                float cleanValue;
                using (cleanLogits) cleanValue = metric(cleanLogits, cleanTokens);
                float corruptedValue;
                using (var corruptedLogits = model.Run(corruptedTokens)) corruptedValue = metric(corruptedLogits, corruptedTokens);
                progress.Check();
                var patched = kind.Run(model, corruptedTokens, cache, metric, new PatchingOptions { Progress = progress.Task($"patching {kind.Name}") });
                return (patched, cleanValue, corruptedValue);
            }
        });

        var cleanPieces = target.Pieces(cleanIds);
        var corruptedPieces = target.Pieces(corruptedIds);
        string answerPiece = target.Pieces([answer])[0], wrongPiece = target.Pieces([wrong])[0];
        if (s.Json)
        {
            var root = new JsonObject
            {
                ["model"] = target.Name,
                ["kind"] = kind.Name,
                ["metric"] = "logit-diff",
                ["answer"] = new JsonObject { ["id"] = answer, ["piece"] = answerPiece },
                ["wrong"] = new JsonObject { ["id"] = wrong, ["piece"] = wrongPiece },
                ["position"] = position,
                ["clean_tokens"] = CliJson.Ints(cleanIds),
                ["corrupted_tokens"] = CliJson.Ints(corruptedIds),
                ["clean_pieces"] = CliJson.Strings(cleanPieces),
                ["corrupted_pieces"] = CliJson.Strings(corruptedPieces),
                ["clean_metric"] = cleanMetric,
                ["corrupted_metric"] = corruptedMetric,
                ["axes"] = CliJson.Strings(kind.Axes),
                ["parts"] = kind.Parts is null ? null : CliJson.Strings(kind.Parts),
                ["shape"] = CliJson.Ints(result.Shape.ToArray()),
                ["values"] = CliJson.Nested(result),
            };
            context.Out.Write(root.ToJsonString(CliJson.Options) + Environment.NewLine);
            return ExitCodes.Success;
        }

        var w = new StringBuilder();
        w.Append($"{kind.Name} patching on {target.Name}: logit difference {TextFormat.Quoted(answerPiece)} − {TextFormat.Quoted(wrongPiece)}")
            .Append($" at position {position} ({TextFormat.Quoted(cleanPieces[position])})\n");
        w.Append($"clean {TextFormat.Fixed(cleanMetric)}, corrupted {TextFormat.Fixed(corruptedMetric)}; ")
            .Append("each cell is the corrupted run with that activation taken from the clean run\n");
        if (kind.Parts is null)
            w.Append('\n').Append(Table(kind, result, cleanPieces, corruptedPieces));
        else
            for (int part = 0; part < kind.Parts.Length; part++)
                w.Append('\n').Append(kind.Parts[part]).Append(":\n").Append(Table(kind, result[part], cleanPieces, corruptedPieces));
        context.Out.Write(w.ToString());
        return ExitCodes.Success;
    }

    /// <summary>One table: layers (or layer × head) as rows; positions as columns labelled with the tokens, or heads.</summary>
    static string Table(Kind kind, Tensor values, IReadOnlyList<string> clean, IReadOnlyList<string> corrupted)
    {
        var table = new TextTable();
        string[] axes = kind.Parts is null ? kind.Axes : kind.Axes[1..];
        int layers = values.Dim(0);
        if (axes[1] == "head")
        {
            table.Header(["", .. Enumerable.Range(0, values.Dim(1)).Select(h => $"H{h}")]);
            for (int l = 0; l < layers; l++)
                table.Row([$"L{l}", .. Enumerable.Range(0, values.Dim(1)).Select(h => TextFormat.Fixed(values[l, h]))]);
            return table.ToString();
        }
        int seq = clean.Count;
        table.Header(["position", .. Enumerable.Range(0, seq).Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        table.Header(["clean", .. clean.Select(p => TextFormat.Piece(p))]);
        if (!clean.SequenceEqual(corrupted))
            table.Header(["corrupted", .. Enumerable.Range(0, seq).Select(p => corrupted[p] == clean[p] ? "" : TextFormat.Piece(corrupted[p]))]);
        if (axes.Length == 2)
        {
            for (int l = 0; l < layers; l++)
                table.Row([$"L{l}", .. Enumerable.Range(0, seq).Select(p => TextFormat.Fixed(values[l, p]))]);
        }
        else
        {
            int heads = values.Dim(2);
            for (int l = 0; l < layers; l++)
                for (int h = 0; h < heads; h++)
                    table.Row([$"L{l}H{h}", .. Enumerable.Range(0, seq).Select(p => TextFormat.Fixed(values[l, p, h]))]);
        }
        return table.ToString();
    }

    static string Pieces(AnalysisModel target, int[] ids) => string.Join(" ", target.Pieces(ids).Select(TextFormat.Quoted));
}

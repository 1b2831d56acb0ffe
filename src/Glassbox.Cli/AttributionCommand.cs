using System.CommandLine;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json.Nodes;
using Glassbox.Analysis;
using Glassbox.Models;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox attribution &lt;model&gt; --prompt "…" --answer "…" [--wrong "…"] [--position -1] [--top 20] [--no-bos] [--json]</c>:
/// direct logit attribution (ARENA; TransformerLens's <c>get_full_resid_decomposition</c> +
/// <c>logit_attrs</c>): what each component — embed, pos_embed, every head, every MLP, the summed biases —
/// writes along the answer's unembedding direction (minus the wrong answer's) at one position, through
/// the final norm's scaling. Sorted, with per-layer attention and MLP sums, and the check that the
/// components plus the input-independent terms (the unembedding bias and the final norm's bias) give
/// the logit (difference) the model computes.
/// </summary>
public static class AttributionCommand
{
    public static Command Create(CliContext context)
    {
        var model = CliOptions.ModelPath("model", AnalysisModel.ArgumentDescription, optional: false);
        var prompt = new Option<string?>("--prompt") { Description = "The text to run (BOS first unless --no-bos; for 'demo', words of its vocabulary)." };
        var answer = new Option<string?>("--answer") { Description = "The answer whose logit is attributed; one token (GPT-2 style tokenizers: usually with its leading space, \" Paris\")." };
        var wrong = new Option<string?>("--wrong") { Description = "A wrong answer (one token): attribute the logit difference answer − wrong instead." };
        var position = CliOptions.Integer("--position", "The position whose prediction is attributed; negative counts from the end (-1 is the last token).", -1);
        var top = CliOptions.Integer("--top", "Components listed in the text output, the largest |attribution| first (0 lists all).", 20, min: 0);
        var noBos = new Option<bool>("--no-bos") { Description = "Do not put the tokenizer's BOS token before the --prompt text." };
        var json = new Option<bool>("--json") { Description = "Print JSON (every component, the per-layer sums and the check) instead of tables." };
        var command = new Command("attribution", "Direct logit attribution: how much each head, MLP and embedding writes towards the answer's logit (difference).")
        {
            model, prompt, answer, wrong, position, top, noBos, json,
        };
        command.SetAction(parse => context.Execute(() => Run(context, new Settings(
            parse.GetValue(model), parse.GetValue(prompt), parse.GetValue(answer), parse.GetValue(wrong), parse.GetValue(position),
            parse.GetValue(top), parse.GetValue(noBos), parse.GetValue(json)))));
        return command;
    }

    sealed record Settings(string? Model, string? Prompt, string? Answer, string? Wrong, int Position, int Top, bool NoBos, bool Json);

    static int Run(CliContext context, Settings s)
    {
        // Everything that can be checked without the weights is checked first.
        if (s.Prompt is null) throw new UsageException("give the text to run with --prompt \"…\".");
        if (s.Answer is null) throw new UsageException("give the answer whose logit is attributed with --answer \"…\" (one token).");
        var target = AnalysisModel.Require(s.Model);
        int[] ids = target.EncodeText(s.Prompt, "--prompt", prependBos: !s.NoBos);
        int position = ResolvePosition(s.Position, ids.Length, "--position");
        int answer = target.EncodeAnswer(s.Answer, "--answer");
        int? wrong = s.Wrong is null ? null : target.EncodeAnswer(s.Wrong, "--wrong");
        if (wrong == answer) throw new UsageException($"--wrong is the same token as --answer ({TextFormat.Quoted(target.Pieces([answer])[0])}); give a different one.");
        var pieces = target.Pieces(ids);

        context.Cancellation.ThrowIfCancellationRequested();
        var model = target.Load();
        context.Cancellation.ThrowIfCancellationRequested();
        var result = Attribution.Compute(model, ids, position, answer, wrong);

        string answerPiece = target.Pieces([answer])[0];
        string? wrongPiece = wrong is null ? null : target.Pieces([wrong.Value])[0];
        if (s.Json)
        {
            var root = new JsonObject
            {
                ["model"] = target.Name,
                ["tokens"] = CliJson.Ints(ids),
                ["pieces"] = CliJson.Strings(pieces),
                ["position"] = position,
                ["answer"] = Token(answer, answerPiece),
                ["wrong"] = wrong is null ? null : Token(wrong.Value, wrongPiece!),
                ["logit"] = result.Logit,
                ["components_sum"] = result.Sum,
                ["constant"] = result.Constant,
                ["components"] = new JsonArray(result.Labels.Select((label, i) => (JsonNode?)new JsonObject
                {
                    ["name"] = label,
                    ["value"] = result.Values[i],
                }).ToArray()),
                ["layers"] = new JsonArray(result.Layers.Select((layer, l) => (JsonNode?)new JsonObject
                {
                    ["layer"] = l,
                    ["attn"] = layer.Attention,
                    ["mlp"] = layer.Mlp,
                }).ToArray()),
            };
            context.Out.Write(root.ToJsonString(CliJson.Options) + Environment.NewLine);
            return ExitCodes.Success;
        }

        var w = new StringBuilder();
        string what = wrong is null
            ? $"logit of {TextFormat.Quoted(answerPiece)}"
            : $"logit difference {TextFormat.Quoted(answerPiece)} − {TextFormat.Quoted(wrongPiece!)}";
        w.Append($"direct logit attribution on {target.Name}: {what} at position {position} ({TextFormat.Quoted(pieces[position])})\n");
        w.Append($"{(wrong is null ? "logit" : "logit difference")} {TextFormat.Fixed(result.Logit)} = components {TextFormat.Fixed(result.Sum)}")
            .Append($" + constant terms {TextFormat.Fixed(result.Constant)} (difference {Math.Abs(result.Sum + result.Constant - result.Logit):0.0e+00})\n\n");

        var order = Enumerable.Range(0, result.Labels.Count).OrderByDescending(i => Math.Abs(result.Values[i])).ToList();
        var shown = (s.Top == 0 ? order : order.Take(s.Top)).OrderByDescending(i => result.Values[i]).ToList();
        var components = new TextTable().Header("component", "attribution");
        foreach (int i in shown) components.Row(result.Labels[i], TextFormat.Fixed(result.Values[i], signed: true));
        w.Append(components);
        if (shown.Count < order.Count)
            w.Append($"({order.Count - shown.Count} more with |attribution| ≤ {TextFormat.Fixed(Math.Abs(result.Values[order[shown.Count]]))}; --top 0 lists all)\n");

        w.Append('\n');
        bool mlp = !model.Config.AttnOnly;
        var layers = new TextTable().Header(mlp ? ["layer", "attention", "mlp", "total"] : ["layer", "attention"]);
        for (int l = 0; l < result.Layers.Count; l++)
        {
            var (attention, mlpValue) = result.Layers[l];
            layers.Row(mlp
                ? [$"L{l}", TextFormat.Fixed(attention, signed: true), TextFormat.Fixed(mlpValue ?? 0, signed: true), TextFormat.Fixed(attention + (mlpValue ?? 0), signed: true)]
                : [$"L{l}", TextFormat.Fixed(attention, signed: true)]);
        }
        w.Append(layers);
        context.Out.Write(w.ToString());
        return ExitCodes.Success;
    }

    static JsonObject Token(int id, string piece) => new() { ["id"] = id, ["piece"] = piece };

    /// <summary>A position given as -n..n-1 as an index 0..n-1; a usage error otherwise.</summary>
    internal static int ResolvePosition(int position, int length, string option)
    {
        if (position < -length || position >= length)
            throw new UsageException($"{option} {position} is outside the {length} tokens (use 0..{length - 1}, or -{length}..-1 from the end).");
        return position < 0 ? position + length : position;
    }

    /// <summary>Direct logit attribution of one answer at one position of one sequence.</summary>
    sealed record Attribution(IReadOnlyList<string> Labels, float[] Values, float Sum, float Constant, float Logit,
        IReadOnlyList<(float Attention, float? Mlp)> Layers)
    {
        public static Attribution Compute(HookedTransformer model, int[] ids, int position, int answer, int? wrong)
        {
            var cfg = model.Config;
            var (logits, cache) = model.RunWithCache(Tensors.IntTensor.FromSequence(ids));
            using (cache)
            using (logits)
            {
                var stack = cache.GetFullResidDecomposition(position: position);
                var attrs = cache.LogitAttrs(stack, [answer], wrong is null ? null : [wrong.Value], position);
                var values = Enumerable.Range(0, stack.Count).Select(c => attrs[c, 0]).ToArray();
                float sum = values.Sum();
                float constant = ConstantTerms(model, answer) - (wrong is null ? 0f : ConstantTerms(model, wrong.Value));
                float logit = logits[0, position, answer] - (wrong is null ? 0f : logits[0, position, wrong.Value]);
                // The decomposition is exact; a mismatch beyond float rounding would be a bug, not a result.
                if (!(Math.Abs(sum + constant - logit) <= 1e-3f * Math.Max(1f, Math.Abs(logit))))
                    throw new InvalidOperationException(
                        $"the attributions add up to {sum} + constant {constant} = {sum + constant}, not the model's {logit}; please report this with the model and prompt.");

                var labels = stack.Labels;
                var layers = new List<(float, float?)>();
                for (int l = 0; l < cfg.NLayers; l++)
                {
                    float attention = 0;
                    for (int h = 0; h < cfg.NHeads; h++) attention += values[IndexOf(labels, $"L{l}H{h}")];
                    float? mlp = cfg.AttnOnly ? null : values[IndexOf(labels, $"{l}_mlp_out")];
                    layers.Add((attention, mlp));
                }
                return new Attribution(labels, values, sum, constant, logit, layers);
            }
        }

        /// <summary>What the input-independent terms add to a token's logit: its unembedding bias and the final norm's bias along its direction.</summary>
        static float ConstantTerms(HookedTransformer model, int token)
        {
            float constant = model.Weights.BU?[token] ?? 0f;
            if (model.Weights.LnFinalBias is { } beta)
                constant += TensorPrimitives.Dot(beta, model.TokensToResidualDirections([token])[0].Span);
            return constant;
        }

        static int IndexOf(IReadOnlyList<string> labels, string label)
        {
            for (int i = 0; i < labels.Count; i++)
                if (labels[i] == label) return i;
            throw new InvalidOperationException($"the decomposition has no component '{label}'.");
        }
    }
}

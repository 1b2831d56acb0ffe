using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox ablate &lt;model&gt; (--prompt "…" | --tokens 1,2,3[;4,5,6]) [--heads 1.1,0.0|all] [--neurons 0:5,7|0:all]
/// [--layers 0,1|all] [--mode zero|mean|resample] [--reference "…"] [--no-bos] [--json]</c>: how much the
/// next-token loss changes when components are ablated. <c>all</c> sweeps every head ([layer, head]
/// table), every block, or every neuron of a layer (<see cref="Importance"/>); listed components are
/// ablated each alone and then all together. Heads are ablated at <c>hook_z</c>, neurons at
/// <c>mlp.hook_post</c>; a listed layer is skipped (its block passes its input through), whatever the mode.
/// Mean ablation uses the means over <c>--reference</c> (default: the input itself), resampling copies
/// the activations of the <c>--reference</c> run (same length as the input; required).
/// </summary>
public static class AblateCommand
{
    const int TopNeurons = 10;

    public static Command Create(CliContext context)
    {
        var model = CliOptions.ModelPath("model", AnalysisModel.ArgumentDescription, optional: false);
        var prompt = new Option<string?>("--prompt") { Description = "The text to run (BOS first unless --no-bos; for 'demo', words of its vocabulary). Give this or --tokens." };
        var tokens = new Option<string?>("--tokens") { Description = "Token ids: '1,2,3' for one sequence, '1,2,3;4,5,6' for a batch. Give this or --prompt." };
        var heads = new Option<string?>("--heads") { Description = "Heads to ablate: layer.head or LxHy, separated by commas (1.1,0.0), or 'all' for a [layer, head] table." };
        var neurons = new Option<string?>("--neurons") { Description = "MLP neurons: layer:neuron,neuron (0:5,7), another layer after a comma (0:5,1:3), or layer:all for every neuron of that layer." };
        var layers = new Option<string?>("--layers") { Description = "Blocks to skip (their output is their input): layer numbers separated by commas, or 'all'." };
        var mode = new Option<string>("--mode") { Description = "How heads and neurons are ablated: zero, mean (means over --reference, default the input) or resample (from the --reference run).", DefaultValueFactory = _ => "zero" };
        var reference = new Option<string?>("--reference")
        {
            Description = "The input the means (--mode mean) or resampled activations (--mode resample) come from; text with --prompt, token ids with --tokens.",
        };
        var noBos = new Option<bool>("--no-bos") { Description = "Do not put the tokenizer's BOS token before the --prompt and --reference text." };
        var json = new Option<bool>("--json") { Description = "Print JSON (clean loss, tables and ablations) instead of tables." };
        var command = new Command("ablate", "Loss change when heads, neurons or layers are ablated: a table for 'all', or each listed component alone and all together.")
        {
            model, prompt, tokens, heads, neurons, layers, mode, reference, noBos, json,
        };
        command.SetAction(parse => context.Execute(() => Run(context, new Settings(
            parse.GetValue(model), parse.GetValue(prompt), parse.GetValue(tokens), parse.GetValue(heads), parse.GetValue(neurons),
            parse.GetValue(layers), parse.GetValue(mode)!, parse.GetValue(reference), parse.GetValue(noBos), parse.GetValue(json)))));
        return command;
    }

    sealed record Settings(string? Model, string? Prompt, string? Tokens, string? Heads, string? Neurons, string? Layers,
        string Mode, string? Reference, bool NoBos, bool Json);

    /// <summary>One listed ablation: its label and the hooks that do it.</summary>
    sealed record Item(string Label, Func<HookBinding[]> Bindings);

    static int Run(CliContext context, Settings s)
    {
        // Everything that can be checked without the weights is checked first.
        if ((s.Prompt is null) == (s.Tokens is null))
            throw new UsageException(s.Prompt is null ? "give the input as --prompt \"text\" or --tokens 1,2,3." : "give --prompt or --tokens, not both.");
        if (s.Tokens is not null && s.NoBos) throw new UsageException("--no-bos applies to --prompt; with --tokens the ids are used as given.");
        if (s.Heads is null && s.Neurons is null && s.Layers is null)
            throw new UsageException("say what to ablate: --heads (1.1,0.0 or all), --neurons (0:5,7 or 0:all) and/or --layers (0,1 or all).");
        var ablationMode = ParseMode(s.Mode);
        if (ablationMode != AblationMode.Zero && s.Heads is null && s.Neurons is null)
            throw new UsageException($"--mode {s.Mode} applies to --heads and --neurons; --layers skips whole blocks.");
        if (ablationMode == AblationMode.Zero && s.Reference is not null)
            throw new UsageException("--reference applies to --mode mean or resample; zero ablation needs no reference.");
        if (ablationMode == AblationMode.Resample && s.Reference is null)
            throw new UsageException("--mode resample needs --reference: the input whose activations replace the ablated ones (as long as the input).");
        IReadOnlyList<int[]>? parsed = s.Tokens is null ? null : TokenListParser.Parse(s.Tokens);
        IReadOnlyList<int[]>? parsedReference = s.Tokens is null || s.Reference is null ? null : TokenListParser.Parse(s.Reference, "--reference");

        var target = AnalysisModel.Require(s.Model);
        var config = target.Config;
        string inputOption = s.Tokens is null ? "--prompt" : "--tokens";
        var rows = parsed ?? [target.EncodeText(s.Prompt!, "--prompt", prependBos: !s.NoBos)];
        if (parsed is not null) TokenListParser.CheckFits(rows, config);
        if (rows[0].Length < 2) throw new UsageException($"{inputOption} has one token per sequence; the loss needs at least two (it predicts each next token).");
        IReadOnlyList<int[]>? referenceRows = null;
        if (s.Reference is not null)
        {
            referenceRows = parsedReference ?? [target.EncodeText(s.Reference, "--reference", prependBos: !s.NoBos)];
            if (parsedReference is not null) TokenListParser.CheckFits(referenceRows, config, "--reference");
            if (ablationMode == AblationMode.Resample
                && (referenceRows[0].Length != rows[0].Length || (referenceRows.Count != rows.Count && referenceRows.Count != 1)))
                throw new UsageException(
                    $"--reference is {Describe(referenceRows)} but {inputOption} is {Describe(rows)}; resampling copies activations position by position, " +
                    "so the reference needs as many tokens per sequence (and one sequence or as many as the input).");
        }

        var headSelection = s.Heads is null ? null : ComponentListParser.Heads(s.Heads, config);
        var neuronSelection = s.Neurons is null ? ((IReadOnlyList<int>)[], (IReadOnlyList<NeuronRef>)[]) : ComponentListParser.Neurons(s.Neurons, config);
        var layerSelection = s.Layers is null ? null : ComponentListParser.Layers(s.Layers, config);

        context.Cancellation.ThrowIfCancellationRequested();
        var model = target.Load();
        context.Cancellation.ThrowIfCancellationRequested();

        var input = TokenListParser.ToTensor(rows);
        var report = ProgressDisplay.Run(context, progress =>
        {
            var r = new Report { CleanLoss = Loss(model, input, []) };
            ActivationMeans? means = null;
            ActivationCache? source = null;
            var ablated = HookFilter.Where(name => name.EndsWith(".attn.hook_z", StringComparison.Ordinal) || name.EndsWith(".mlp.hook_post", StringComparison.Ordinal));
            var referenceTensor = TokenListParser.ToTensor(referenceRows ?? rows);
            if (ablationMode == AblationMode.Mean) means = ActivationMeans.Compute(model, [referenceTensor], ablated);
            if (ablationMode == AblationMode.Resample) source = model.RunWithCache(referenceTensor, ablated).Cache;
            using var sourceScope = source;
            progress.Check();

            if (headSelection is { All: true })
                r.Heads = Importance.Heads(model, input, ablationMode, means, source, progress: progress.Task("heads"));
            if (layerSelection is { All: true })
                r.Layers = Importance.Layers(model, input, progress: progress.Task("layers"));
            foreach (int layer in neuronSelection.Item1)
                r.Neurons.Add((layer, Importance.Neurons(model, input, layer, ablationMode, means, source, progress: progress.Task($"neurons of L{layer}"))));

            var items = new List<Item>();
            foreach (var h in headSelection?.Listed ?? [])
                items.Add(new Item(h.ToString(), () => [Ablation.Heads(h.Layer, [h.Head], ablationMode, means, source)]));
            foreach (var n in neuronSelection.Item2)
                items.Add(new Item(n.ToString(), () => [Ablation.Neurons(n.Layer, [n.Neuron], ablationMode, means, source)]));
            foreach (int l in layerSelection?.Listed ?? [])
                items.Add(new Item($"block {l}", () => Ablation.SkipLayer(l)));
            var singles = items.ToList();
            if (singles.Count > 1) items.Add(new Item("together", () => [.. singles.SelectMany(i => i.Bindings())]));
            var listed = items.Count > 0 ? progress.Task("ablations") : null;
            for (int i = 0; i < items.Count; i++)
            {
                r.Listed.Add((items[i].Label, Loss(model, input, items[i].Bindings())));
                listed!.Report((i + 1.0) / items.Count);
            }
            return r;
        });

        context.Out.Write(s.Json
            ? Json(target, rows, ablationMode, s.Reference is null ? (ablationMode == AblationMode.Mean ? "input" : null) : "given", report)
            : Text(target, rows, ablationMode, s.Reference is null && ablationMode == AblationMode.Mean, report));
        return ExitCodes.Success;
    }

    sealed class Report
    {
        public float CleanLoss { get; init; }
        public Tensor? Heads { get; set; }
        public Tensor? Layers { get; set; }
        public List<(int Layer, Tensor Deltas)> Neurons { get; } = [];
        public List<(string Label, float Loss)> Listed { get; } = [];
    }

    static float Loss(HookedTransformer model, IntTensor tokens, HookBinding[] hooks)
    {
        using var logits = model.Run(tokens, new ForwardOptions { Hooks = hooks });
        return Metrics.Loss(logits, tokens);
    }

    static AblationMode ParseMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "zero" => AblationMode.Zero,
        "mean" => AblationMode.Mean,
        "resample" => AblationMode.Resample,
        _ => throw new UsageException($"--mode must be zero, mean or resample (got '{text}')."),
    };

    static string Describe(IReadOnlyList<int[]> rows)
        => rows.Count == 1 ? $"{rows[0].Length} tokens" : $"{rows.Count} sequences of {rows[0].Length} tokens";

    static string Text(AnalysisModel target, IReadOnlyList<int[]> rows, AblationMode mode, bool meansOfInput, Report r)
    {
        string modeText = mode.ToString().ToLowerInvariant() + " ablation" + (meansOfInput ? " (means over the input)" : "");
        var w = new StringBuilder();
        w.Append($"{modeText} on {target.Name}, {(rows.Count == 1 ? "1 sequence" : $"{rows.Count} sequences")} of {rows[0].Length} tokens: ")
            .Append($"clean loss {TextFormat.Fixed(r.CleanLoss, 4)}\n");
        if (r.Heads is { } heads)
        {
            w.Append("\nloss change with each head ablated:\n");
            var table = new TextTable().Header(["", .. Enumerable.Range(0, heads.Dim(1)).Select(h => $"H{h}")]);
            for (int l = 0; l < heads.Dim(0); l++)
                table.Row([$"L{l}", .. Enumerable.Range(0, heads.Dim(1)).Select(h => TextFormat.Fixed(heads[l, h], 4, signed: true))]);
            w.Append(table);
            var top = (from l in Enumerable.Range(0, heads.Dim(0)) from h in Enumerable.Range(0, heads.Dim(1)) select (Label: $"L{l}H{h}", Value: heads[l, h]))
                .OrderByDescending(t => t.Value).Take(5);
            w.Append("largest: ").Append(string.Join(", ", top.Select(t => $"{t.Label} {TextFormat.Fixed(t.Value, 4, signed: true)}"))).Append('\n');
        }
        if (r.Layers is { } layers)
        {
            w.Append("\nloss change with each block skipped:\n");
            var table = new TextTable();
            for (int l = 0; l < layers.Dim(0); l++) table.Row($"L{l}", TextFormat.Fixed(layers.Span[l], 4, signed: true));
            w.Append(table);
        }
        foreach (var (layer, deltas) in r.Neurons)
        {
            float[] values = deltas.ToArray();
            int count = values.Length;
            w.Append($"\nloss change with each neuron of L{layer} ablated ({count} neurons; the {Math.Min(TopNeurons, count)} largest):\n");
            var table = new TextTable();
            foreach (int n in Enumerable.Range(0, count).OrderByDescending(n => values[n]).Take(TopNeurons))
                table.Row($"L{layer}N{n}", TextFormat.Fixed(values[n], 4, signed: true));
            w.Append(table);
        }
        if (r.Listed.Count > 0)
        {
            w.Append('\n');
            var table = new TextTable().Header("ablated", "loss", "change");
            foreach (var (label, loss) in r.Listed)
                table.Row(label, TextFormat.Fixed(loss, 4), TextFormat.Fixed(loss - r.CleanLoss, 4, signed: true));
            w.Append(table);
        }
        return w.ToString();
    }

    static string Json(AnalysisModel target, IReadOnlyList<int[]> rows, AblationMode mode, string? reference, Report r)
    {
        var root = new JsonObject
        {
            ["model"] = target.Name,
            ["mode"] = mode.ToString().ToLowerInvariant(),
            ["reference"] = reference,
            ["tokens"] = new JsonArray(rows.Select(row => (JsonNode?)CliJson.Ints(row)).ToArray()),
            ["pieces"] = new JsonArray(rows.Select(row => (JsonNode?)CliJson.Strings(target.Pieces(row))).ToArray()),
            ["clean_loss"] = r.CleanLoss,
        };
        if (r.Heads is not null) root["heads"] = CliJson.Nested(r.Heads);
        if (r.Layers is not null) root["layers"] = CliJson.Nested(r.Layers);
        if (r.Neurons.Count > 0)
            root["neurons"] = new JsonArray(r.Neurons.Select(n => (JsonNode?)new JsonObject { ["layer"] = n.Layer, ["deltas"] = CliJson.Nested(n.Deltas) }).ToArray());
        if (r.Listed.Count > 0)
            root["ablations"] = new JsonArray(r.Listed.Select(a => (JsonNode?)new JsonObject
            {
                ["name"] = a.Label,
                ["loss"] = a.Loss,
                ["delta"] = a.Loss - r.CleanLoss,
            }).ToArray());
        return root.ToJsonString(CliJson.Options) + Environment.NewLine;
    }
}

using System.CommandLine;
using System.Text.Json;
using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;
using Glassbox.Visualization;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox demo [--out folder] [--json]</c>: the main job on a fresh clone with nothing downloaded.
/// On the embedded induction model it finds the previous-token and induction heads by their scores,
/// checks them by ablation, traces a copied token by activation patching and direct logit
/// attribution, and writes the pictures (self-contained pages and SVGs) into the output folder.
/// </summary>
public static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out")
        {
            Description = "Folder for the pictures (created if missing).",
            DefaultValueFactory = _ => "glassbox-demo",
        };
        var json = new Option<bool>("--json") { Description = "Print the findings and the files written as JSON." };
        var command = new Command("demo", "Find the induction circuit of the embedded demo model and draw it (nothing to download).") { output, json };
        command.SetAction(parse => context.Execute(() => Run(context, parse.GetValue(output)!, parse.GetValue(json))));
        return command;
    }

    const string Sentence = "the cat sat on a red mat and the dog ran to the big ball";

    static int Run(CliContext context, string outputFolder, bool asJson)
    {
        string folder = Path.GetFullPath(outputFolder);
        if (File.Exists(folder)) throw new UsageException($"--out '{outputFolder}' is a file; give a folder for the pictures.");
        Directory.CreateDirectory(folder);
        var model = InductionDemoModel.Create();
        var words = InductionDemoModel.Words;
        int layers = model.Config.NLayers, heads = model.Config.NHeads;
        var headTicks = Enumerable.Range(0, heads).Select(h => $"H{h}").ToList();
        var layerTicks = Enumerable.Range(0, layers).Select(l => $"L{l}").ToList();
        var files = new List<string>();
        void Save(string name, string content)
        {
            string path = Path.Combine(folder, name);
            if (name.EndsWith(".svg", StringComparison.Ordinal)) Svg.Write(path, content);
            else Page.Write(path, content);
            files.Add(path);
        }

        // 1. Scores on repeated random tokens single out the heads.
        var induction = HeadScores.Induction(model, seqLength: 20, batch: 8, seed: 0);
        var previous = HeadScores.PreviousToken(model, seqLength: 20, batch: 8, seed: 0);
        var inductionHead = ArgMax(induction);
        var previousHead = ArgMax(previous);
        context.Cancellation.ThrowIfCancellationRequested();
        Save("induction-scores.html", Heatmap.Html(induction, "Induction score per head (repeated random tokens)", "head", "layer", headTicks, layerTicks));
        Save("induction-scores.svg", Heatmap.Svg(induction, "Induction score per head (repeated random tokens)", "head", "layer", headTicks, layerTicks));
        Save("previous-token-scores.svg", Heatmap.Svg(previous, "Previous-token score per head", "head", "layer", headTicks, layerTicks));

        // 2. Ablation confirms them: the loss on the repeated half rises without either head.
        var randomTokens = HeadScores.RepeatedRandomTokens(InductionDemoModel.Vocab, 16, 4, seed: 3);
        var lossChange = Importance.Heads(model, randomTokens);
        Save("ablation-loss-change.svg", Heatmap.Svg(lossChange, "Loss change when a head is zero-ablated", "head", "layer", headTicks, layerTicks));

        // 3. The attention patterns on a sentence said twice.
        var ids = InductionDemoModel.Encode(Sentence);
        var twice = IntTensor.FromSequence([.. ids, .. ids]);
        var tokenStrings = twice.Span.ToArray().Select((t, i) => (i == 0 ? "" : " ") + words[t]).ToList();
        var (_, cache) = model.RunWithCache(twice, "blocks.*.attn.hook_pattern");
        using (cache)
        {
            var patterns = Tensor.Zeros(layers, heads, twice.Dim(1), twice.Dim(1));
            for (int l = 0; l < layers; l++) patterns[l].CopyFrom(cache["pattern", l][0]);
            Save("attention.html", AttentionViewer.Html(tokenStrings, patterns, "Induction demo model: attention on a sentence said twice",
                layerLabels: layerTicks));
            Save("induction-head.svg", AttentionViewer.Svg(tokenStrings, cache["pattern", inductionHead.Layer][0][inductionHead.Head],
                $"L{inductionHead.Layer}H{inductionHead.Head} attends to the token after the earlier copy"));
        }

        // 4. Direct logit attribution and patching on "… the cat" → "sat".
        var clean = IntTensor.FromSequence(InductionDemoModel.Encode("the cat sat on a red mat and the cat"));
        var corrupted = IntTensor.FromSequence(InductionDemoModel.Encode("the dog sat on a red mat and the cat"));
        int sat = InductionDemoModel.Encode("sat")[0], mat = InductionDemoModel.Encode("mat")[0];
        var (_, cleanCache) = model.RunWithCache(clean, HookFilter.Everything);
        Tensor patched;
        IReadOnlyList<string> labels;
        List<float> attributions;
        using (cleanCache)
        {
            var full = cleanCache.GetFullResidDecomposition(position: -1);
            var attrs = cleanCache.LogitAttrs(full, [sat]);
            labels = full.Labels;
            attributions = Enumerable.Range(0, full.Count).Select(c => attrs[c, 0]).ToList();
            patched = Patching.ResidPre(model, corrupted, cleanCache, Metrics.LogitDifference(sat, mat));
        }
        Save("logit-attribution.svg", BarChart.Svg(labels, attributions, "Direct logit attribution to \"sat\" after \"… the cat\"", "logit contribution", "component"));
        Save("logit-attribution.html", BarChart.Html(labels, attributions, "Direct logit attribution to \"sat\" after \"… the cat\"", "logit contribution", "component"));
        var cleanWords = clean.Span.ToArray().Select(t => words[t]).ToList();
        Save("patching-resid-pre.svg", Heatmap.Svg(patched, "Patching clean resid_pre into \"the dog sat …\": logit(sat) − logit(mat)", "position", "layer", cleanWords, layerTicks));
        Save("patching-resid-pre.html", Heatmap.Html(patched, "Patching clean resid_pre into \"the dog sat …\": logit(sat) − logit(mat)", "position", "layer", cleanWords, layerTicks));

        string topComponent = labels[attributions.IndexOf(attributions.MaxBy(Math.Abs))];
        if (asJson)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                model = model.Config.ModelName,
                induction_head = new { layer = inductionHead.Layer, head = inductionHead.Head, score = induction[inductionHead.Layer, inductionHead.Head] },
                previous_token_head = new { layer = previousHead.Layer, head = previousHead.Head, score = previous[previousHead.Layer, previousHead.Head] },
                induction_scores = Rows(induction),
                previous_token_scores = Rows(previous),
                ablation_loss_change = Rows(lossChange),
                top_logit_attribution = topComponent,
                files,
            }, CliJson.Options));
            return ExitCodes.Success;
        }

        var o = context.Out;
        o.WriteLine($"Glassbox demo on '{model.Config.ModelName}' (2 layers, 2 heads each, weights written by hand; nothing downloaded)");
        o.WriteLine();
        o.WriteLine("induction score (repeated random tokens)      previous-token score");
        for (int l = 0; l < layers; l++)
            o.WriteLine($"  L{l}: {string.Join("  ", Enumerable.Range(0, heads).Select(h => $"{induction[l, h]:F3}"))}" +
                        $"                          L{l}: {string.Join("  ", Enumerable.Range(0, heads).Select(h => $"{previous[l, h]:F3}"))}");
        o.WriteLine();
        o.WriteLine($"induction head:      L{inductionHead.Layer}H{inductionHead.Head} (score {induction[inductionHead.Layer, inductionHead.Head]:F3}); " +
                    $"ablating it raises the loss by {lossChange[inductionHead.Layer, inductionHead.Head]:F2}");
        o.WriteLine($"previous-token head: L{previousHead.Layer}H{previousHead.Head} (score {previous[previousHead.Layer, previousHead.Head]:F3}); " +
                    $"ablating it raises the loss by {lossChange[previousHead.Layer, previousHead.Head]:F2}");
        int where0 = Enumerable.Range(0, patched.Dim(1)).MaxBy(p => patched[0, p]);
        int where1 = Enumerable.Range(0, patched.Dim(1)).MaxBy(p => patched[layers - 1, p]);
        o.WriteLine($"'… the cat' → 'sat' comes from {topComponent}; patching finds what matters at '{cleanWords[where0]}' entering layer 0 " +
                    $"and at '{cleanWords[where1]}' entering layer {layers - 1}");
        o.WriteLine();
        o.WriteLine($"pictures in {folder}:");
        foreach (var f in files) o.WriteLine($"  {Path.GetFileName(f)}");
        o.WriteLine($"open {Path.Combine(folder, "attention.html")} in a browser and hover the matrix");
        return ExitCodes.Success;
    }

    static (int Layer, int Head) ArgMax(Tensor scores)
        => (from l in Enumerable.Range(0, scores.Dim(0)) from h in Enumerable.Range(0, scores.Dim(1)) select (l, h)).MaxBy(p => scores[p.l, p.h]);

    static float[][] Rows(Tensor t) => Enumerable.Range(0, t.Dim(0)).Select(r => t[r].ToArray()).ToArray();
}

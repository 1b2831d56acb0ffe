using Glassbox.Analysis;
using Glassbox.Models;
using Glassbox.Tensors;
using Glassbox.Visualization;

namespace Glassbox.Examples.Pictures;

public static class Program
{
    /// <summary>Writes the gallery into the folder given as the first argument (default: ./pictures).</summary>
    public static int Main(string[] args) => Example.Run(Console.Out, args.Length > 0 ? args[0] : "pictures");
}

/// <summary>
/// The pictures of docs/visualization.md, on real models: attention patterns of gpt2-mini on a repeated
/// sentence (its induction heads light up on the second copy), the induction score of every head, direct
/// logit attribution per component, and the logit lens per layer; plus the hand-built induction demo model.
/// </summary>
public static class Example
{
    /// <summary>Draws every picture, checks that each file is complete (SVGs parse as XML), and that the demo's induction head stands out.</summary>
    public static int Run(TextWriter output, string outputFolder)
    {
        string folder = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(folder);
        int failures = 0;
        foreach (var file in Draw(folder))
        {
            var size = new FileInfo(file).Length;
            bool complete = file.EndsWith(".svg", StringComparison.Ordinal)
                ? System.Xml.Linq.XDocument.Load(file).Root?.Name.LocalName == "svg"
                : File.ReadAllText(file).TrimEnd().EndsWith("</html>", StringComparison.Ordinal);
            output.WriteLine($"wrote {Path.GetFileName(file),-36} {size,9:N0} bytes{(complete ? "" : "  INCOMPLETE")}");
            if (!complete) failures++;
        }

        var scores = HeadScores.Induction(InductionDemoModel.Create(), seqLength: 20, batch: 8);
        var (layer, head) = (from l in Enumerable.Range(0, scores.Dim(0)) from h in Enumerable.Range(0, scores.Dim(1)) select (l, h)).MaxBy(p => scores[p.l, p.h]);
        output.WriteLine($"the heatmap's brightest cell: the induction head is L{layer}H{head} (score {scores[layer, head]:F3})");
        output.WriteLine($"open {Path.Combine(folder, "demo-attention.html")} in a browser and hover the matrix");
        return failures == 0 && (layer, head) == InductionDemoModel.InductionHead ? 0 : 1;
    }

    const string Text = "In the beginning God created the heaven and the earth. And the earth was without form, and void;";

    const string LongText =
        "In the beginning God created the heaven and the earth. And the earth was without form, and void; and darkness was upon " +
        "the face of the deep. And the Spirit of God moved upon the face of the waters. And God said, Let there be light: and " +
        "there was light. And God saw the light, that it was good: and God divided the light from the darkness. And God called " +
        "the light Day, and the darkness he called Night. And the evening and the morning were the first day.";

    /// <summary>Writes the pictures and yields their paths.</summary>
    public static IEnumerable<string> Draw(string folder)
    {
        string Save(string name, string content)
        {
            string path = Path.Combine(folder, name);
            if (name.EndsWith(".svg", StringComparison.Ordinal)) Svg.Write(path, content);
            else Page.Write(path, content);
            return path;
        }

        // 1. The induction demo model (layer 1 on repeated words): head 1 attends to the token after the earlier copy.
        var demo = InductionDemoModel.Create();
        var words = InductionDemoModel.Encode("the cat sat on a red mat and the dog ran to the big ball");
        var demoTokens = IntTensor.FromSequence([.. words, .. words]);
        var demoStrings = demoTokens.Span.ToArray().Select((t, i) => (i == 0 ? "" : " ") + InductionDemoModel.Words[t]).ToList();
        var (_, demoCache) = demo.RunWithCache(demoTokens, "blocks.*.attn.hook_pattern");
        using (demoCache)
        {
            yield return Save("demo-attention.html", AttentionViewer.Html(demoStrings, demoCache["pattern", 1][0],
                "Induction demo model, layer 1 on a repeated sentence", headLabels: ["L1H0 (zero weights)", "L1H1 (induction)"]));
            yield return Save("demo-induction-head.svg", AttentionViewer.Svg(demoStrings, demoCache["pattern", 1][0][1],
                "Induction demo model: L1H1 attends to the token after the earlier copy"));
        }
        yield return Save("demo-induction-scores.svg", Heatmap.Svg(HeadScores.Induction(demo, seqLength: 20, batch: 8), "Induction scores, induction demo model", "head", "layer"));

        // 2. gpt2-mini, a small trained GPT-2, on a sentence said twice.
        var mini = HookedTransformer.FromPretrained(SharedFolder.Find("models/gpt2-mini"));
        var tokens = mini.ToTokens(Text + " " + Text, prependBos: true);
        var strings = mini.ToStrTokens(tokens.Span.ToArray());
        int n = tokens.Dim(1), layers = mini.Config.NLayers, heads = mini.Config.NHeads;
        var (logits, cache) = mini.RunWithCache(tokens);
        using (logits)
        using (cache)
        {
            var patterns = Tensor.Zeros(layers, heads, n, n);
            for (int l = 0; l < layers; l++) patterns[l].CopyFrom(cache["pattern", l][0]);
            yield return Save("attention.html", AttentionViewer.Html(strings, patterns, "gpt2-mini: attention on a sentence said twice"));

            // A long prompt (about 200 tokens): the viewer scrolls, zooms and thins its labels.
            var longTokens = mini.ToTokens(LongText + "\n" + LongText, prependBos: true);
            var (longLogits, longCache) = mini.RunWithCache(longTokens, "blocks.*.attn.hook_pattern");
            using (longLogits)
            using (longCache)
            {
                int m = longTokens.Dim(1);
                var longPatterns = Tensor.Zeros(layers, heads, m, m);
                for (int l = 0; l < layers; l++) longPatterns[l].CopyFrom(longCache["pattern", l][0]);
                yield return Save("attention-long.html", AttentionViewer.Html(mini.ToStrTokens(longTokens.Span.ToArray()), longPatterns,
                    $"gpt2-mini: attention on {m} tokens (Genesis 1:1-5, twice)"));
            }

            var induction = HeadScores.Induction(mini, seqLength: 40, batch: 8, bos: mini.Config.DVocab - 1);
            var inductionTicks = Enumerable.Range(0, heads).Select(h => $"H{h}").ToList();
            var layerTicks = Enumerable.Range(0, layers).Select(l => $"L{l}").ToList();
            yield return Save("induction-scores.html", Heatmap.Html(induction, "gpt2-mini: induction score per head", "head", "layer", inductionTicks, layerTicks));
            yield return Save("induction-scores.svg", Heatmap.Svg(induction, "gpt2-mini: induction score per head", "head", "layer", inductionTicks, layerTicks));

            // Direct logit attribution of every component to the correct next token, at each position of the second copy.
            int start = n / 2;
            var next = tokens.Span.ToArray();
            var stackLabels = cache.DecomposeResid(position: 0).Labels;
            var perPosition = Tensor.Zeros(stackLabels.Count, n - 1 - start);
            for (int p = start; p < n - 1; p++)
            {
                var attrs = cache.LogitAttrs(cache.DecomposeResid(position: p), [next[p + 1]], position: p);
                for (int c = 0; c < stackLabels.Count; c++) perPosition[c, p - start] = attrs[c, 0];
            }
            var positionTicks = Enumerable.Range(start, n - 1 - start).Select(p => strings[p]).ToList();
            yield return Save("logit-attribution-by-position.html", Heatmap.Html(perPosition,
                "gpt2-mini: direct logit attribution to the next token, second copy", "position (current token)", "component",
                positionTicks, stackLabels));
            yield return Save("logit-attribution-by-position.svg", Heatmap.Svg(perPosition,
                "gpt2-mini: direct logit attribution to the next token, second copy", "position (current token)", "component",
                positionTicks, stackLabels));

            // Per component (every head, every MLP) at one position in the second copy.
            int at = n - 6;
            var full = cache.GetFullResidDecomposition(position: at);
            var dla = cache.LogitAttrs(full, [next[at + 1]], position: at);
            var values = Enumerable.Range(0, full.Count).Select(c => dla[c, 0]).ToList();
            string title = $"gpt2-mini: direct logit attribution to \"{strings[at + 1]}\" after \"{strings[at]}\" (second copy)";
            yield return Save("logit-attribution.html", BarChart.Html(full.Labels, values, title, "logit contribution", "component"));
            yield return Save("logit-attribution.svg", BarChart.Svg(full.Labels, values, title, "logit contribution", "component"));

            // The logit lens: log-probability of the correct next token after each layer, at a few positions.
            var lensLabels = cache.AccumulatedResid().Labels;
            var series = new List<LineSeries>();
            foreach (int p in new[] { start - 6, start + 3, n - 6, n - 3 })
            {
                var lens = cache.LogitLens(position: p);
                var logProbs = Enumerable.Range(0, lens.Dim(0)).Select(r => LogProbability(lens[r][0].Span, next[p + 1])).ToList();
                string copy = p < start ? "first copy" : "second copy";
                series.Add(new LineSeries($"\"{strings[p + 1]}\" after \"{strings[p]}\" ({copy})", logProbs));
            }
            yield return Save("logit-lens.html", LineChart.Html(lensLabels, series, "gpt2-mini: logit lens, log-probability of the next token", "residual stream", "log p(next token)"));
            yield return Save("logit-lens.svg", LineChart.Svg(lensLabels, series, "gpt2-mini: logit lens, log-probability of the next token", "residual stream", "log p(next token)"));
        }
    }

    static float LogProbability(ReadOnlySpan<float> logits, int token)
    {
        float max = System.Numerics.Tensors.TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (float v in logits) sum += Math.Exp(v - max);
        return (float)(logits[token] - max - Math.Log(sum));
    }
}

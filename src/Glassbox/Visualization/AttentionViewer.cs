using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Glassbox.Tensors;

namespace Glassbox.Visualization;

/// <summary>
/// Attention patterns as pictures, in the spirit of circuitsvis's attention-heads view.
/// <para>
/// <see cref="Html"/> makes one interactive page: a thumbnail of every head (click one, or use ← →),
/// a layer selector when several layers are given, and the selected head's [query, key] matrix with
/// query tokens down the side and key tokens along the top. Hovering a cell shows the value and the
/// (query token, key token) pair; hovering a token of the prompt underneath colours the prompt by where
/// that token attends. The matrix is drawn on a canvas that only paints what is on screen, the tokens
/// stay text, and zooming out thins the labels, so prompts of hundreds of tokens stay responsive.
/// </para>
/// <para><see cref="Svg"/> draws one head as a static heatmap with tokens on both axes, for papers and READMEs.</para>
/// Masked scores (−∞) and NaN are blank and named on hover.
/// </summary>
public static class AttentionViewer
{
    /// <summary>
    /// The interactive page. <paramref name="patterns"/> is [heads, query, key] or [layers, heads, query, key]
    /// (one batch element, e.g. <c>cache["pattern", layer][0]</c>); <paramref name="tokens"/> are the key
    /// positions' tokens, and when there are fewer queries than keys the queries are the last positions
    /// (as in a step of cached generation). The default colour scale is white → dark red over [0, 1]
    /// when all values lie there (a pattern), else chosen from the data (scores).
    /// </summary>
    public static string Html(IReadOnlyList<string> tokens, Tensor patterns, string title = "Attention patterns",
        IReadOnlyList<string>? headLabels = null, IReadOnlyList<string>? layerLabels = null, ColorScale? scale = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(patterns);
        if (patterns.Rank is not (3 or 4))
            throw new ArgumentException($"Attention patterns are [heads, query, key] or [layers, heads, query, key]; got shape {Tensor.Format(patterns.Shape)}.", nameof(patterns));
        int layers = patterns.Rank == 4 ? patterns.Dim(0) : 1;
        int heads = patterns.Dim(-3), queries = patterns.Dim(-2), keys = patterns.Dim(-1);
        CheckTokens(tokens, queries, keys);
        if (layers == 0 || heads == 0 || queries == 0) throw new ArgumentException("There is no head or no query to show.", nameof(patterns));
        var headNames = Names(headLabels, heads, "H", nameof(headLabels));
        var layerNames = Names(layerLabels, layers, "Layer ", nameof(layerLabels));
        var colors = ResolveScale(scale, patterns.Span);
        bool isPattern = scale is null && colors.Min == 0 && colors.Max == 1;

        var body = new StringBuilder();
        body.Append("<div class=\"gb-attn\" id=\"gb-attn\">\n");
        body.Append($"<h1 class=\"gb-attn-title\">{Markup.Text(title)}</h1>\n");
        string layerWord = layers == 1 ? "" : $"{layers} layers × ";
        body.Append($"<p class=\"gb-attn-meta\">{layerWord}{heads} heads · {queries} queries × {keys} keys · hover a cell or a token · ← → change head</p>\n");

        body.Append("<div class=\"gb-attn-controls\">\n");
        if (layers > 1)
        {
            body.Append("<label class=\"gb-layer-label\">Layer <select class=\"gb-layer\" aria-label=\"layer\">");
            for (int l = 0; l < layers; l++) body.Append($"<option value=\"{l}\">{Markup.Text(layerNames[l])}</option>");
            body.Append("</select></label>\n");
        }
        body.Append("<span class=\"gb-zoom\">Zoom <button type=\"button\" data-zoom=\"out\" title=\"smaller cells\">−</button>");
        body.Append("<button type=\"button\" data-zoom=\"in\" title=\"larger cells\">+</button>");
        body.Append("<button type=\"button\" data-zoom=\"fit\" title=\"fit the matrix in the window\">fit</button></span>\n");
        body.Append(Legend(colors));
        body.Append("</div>\n");

        body.Append("<div class=\"gb-heads\" role=\"tablist\" aria-label=\"heads\">\n");
        for (int h = 0; h < heads; h++)
        {
            string selected = h == 0 ? "true" : "false";
            body.Append($"<button type=\"button\" class=\"gb-head\" role=\"tab\" aria-selected=\"{selected}\" data-head=\"{h}\" title=\"{Markup.Attribute(headNames[h])}\">");
            body.Append($"<canvas class=\"gb-thumb\" width=\"64\" height=\"64\"></canvas><span class=\"gb-head-name\">{Markup.Text(headNames[h])}</span></button>\n");
        }
        body.Append("</div>\n");

        body.Append("<div class=\"gb-scroll\"><div class=\"gb-grid\">");
        body.Append("<div class=\"gb-corner\"><span class=\"gb-axis-key\">key →</span><span class=\"gb-axis-query\">query ↓</span></div>");
        body.Append("<div class=\"gb-keys\"></div><div class=\"gb-queries\"></div><div class=\"gb-cells\"><canvas class=\"gb-matrix\"></canvas></div>");
        body.Append("</div></div>\n");

        body.Append("<div class=\"gb-text\" aria-label=\"prompt\">");
        for (int j = 0; j < keys; j++)
            body.Append($"<span class=\"gb-tok\" data-pos=\"{j}\">{Markup.Text(TokenText.Visible(tokens[j]))}</span>");
        body.Append("</div>\n</div>\n");

        body.Append("<script type=\"application/json\" id=\"gb-attn-data\">");
        body.Append(DataJson(tokens, patterns, layerNames, headNames, queries, keys, colors, isPattern ? "attention" : "value"));
        body.Append("</script>\n");
        return Page.Document(title, body.ToString(), headStyles: ["attention-viewer.css"], scripts: ["attention-viewer.js"]);
    }

    /// <summary>
    /// One head's pattern ([query, key]) as a static SVG heatmap: key tokens along the bottom,
    /// query tokens down the side, square cells, a colour bar, hover text per cell in &lt;title&gt; elements.
    /// </summary>
    public static string Svg(IReadOnlyList<string> tokens, Tensor pattern, string title = "Attention pattern", ColorScale? scale = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (pattern.Rank != 2) throw new ArgumentException($"One head's pattern is [query, key]; got shape {Tensor.Format(pattern.Shape)}.", nameof(pattern));
        int queries = pattern.Dim(0), keys = pattern.Dim(1);
        CheckTokens(tokens, queries, keys);
        var colors = ResolveScale(scale, pattern.Span);
        int offset = keys - queries;
        var keyTokens = tokens.ToList();
        var queryTokens = tokens.Skip(offset).ToList();
        string Hover(int i, int j, float v) =>
            $"query {i + offset} \"{TokenText.Visible(queryTokens[i])}\" → key {j} \"{TokenText.Visible(keyTokens[j])}\"\n{NumberFormat.Hover(v)}";
        return Heatmap.Render(pattern, title, "key", "query", keyTokens, queryTokens, colors, HoverStyle.TitleElement, Hover, squareCells: true);
    }

    static void CheckTokens(IReadOnlyList<string> tokens, int queries, int keys)
    {
        if (tokens.Count != keys)
            throw new ArgumentException($"{tokens.Count} tokens for a pattern with {keys} key positions.", nameof(tokens));
        if (queries > keys)
            throw new ArgumentException($"{queries} query positions but only {keys} keys; the queries must be the last positions.", nameof(tokens));
    }

    /// <summary>Patterns (everything in [0, 1]) get the fixed scale [0, 1], so heads compare; anything else is scaled from its data.</summary>
    static ColorScale ResolveScale(ColorScale? scale, ReadOnlySpan<float> values)
    {
        if (scale is not null) return scale.Resolve(values);
        foreach (float v in values)
            if (float.IsFinite(v) && (v < 0 || v > 1)) return ColorScale.Auto(values);
        return ColorScale.Sequential(0, 1);
    }

    static IReadOnlyList<string> Names(IReadOnlyList<string>? labels, int count, string prefix, string parameter)
    {
        if (labels is null) return Enumerable.Range(0, count).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (labels.Count != count) throw new ArgumentException($"{labels.Count} labels for {count} items.", parameter);
        return labels;
    }

    static string Legend(ColorScale colors)
    {
        string gradient = string.Join(", ", colors.Stops.Select(s => $"{s.Color.Hex} {SvgBuilder.N(s.At * 100)}%"));
        return $"<span class=\"gb-legend\"><span class=\"gb-legend-min\">{Markup.Text(NumberFormat.Hover(colors.Min!.Value))}</span>" +
               $"<span class=\"gb-legend-bar\" style=\"background: linear-gradient(to right, {gradient})\"></span>" +
               $"<span class=\"gb-legend-max\">{Markup.Text(NumberFormat.Hover(colors.Max!.Value))}</span></span>\n";
    }

    /// <summary>
    /// Everything the script needs, as JSON: labels and tokens as escaped strings, the colour scale, and
    /// the values as base64 of little-endian float32 (exact, NaN and ±∞ included, about 5.3 characters a value).
    /// </summary>
    static string DataJson(IReadOnlyList<string> tokens, Tensor patterns, IReadOnlyList<string> layers, IReadOnlyList<string> heads,
        int queries, int keys, ColorScale colors, string valueName)
    {
        var sb = new StringBuilder();
        sb.Append("{\"layers\":").Append(Markup.JsStringArray(layers));
        sb.Append(",\"heads\":").Append(Markup.JsStringArray(heads));
        sb.Append(",\"queries\":").Append(queries.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"keys\":").Append(keys.ToString(CultureInfo.InvariantCulture));
        sb.Append(",\"tokens\":").Append(Markup.JsStringArray(tokens.Select(TokenText.Visible)));
        sb.Append(",\"labels\":").Append(Markup.JsStringArray(tokens.Select(t => TokenText.Label(t, 16))));
        sb.Append(",\"valueName\":").Append(Markup.JsString(valueName));
        sb.Append(",\"scale\":{\"min\":").Append(Number(colors.Min!.Value)).Append(",\"max\":").Append(Number(colors.Max!.Value));
        sb.Append(",\"stops\":[").Append(string.Join(",", colors.Stops.Select(s => $"[{Number(s.At)},{Markup.JsString(s.Color.Hex)}]"))).Append("]}");
        sb.Append(",\"values\":\"").Append(Float32Base64(patterns.Span)).Append("\"}");
        return sb.ToString();
    }

    static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static string Float32Base64(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian) return Convert.ToBase64String(MemoryMarshal.AsBytes(values));
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return Convert.ToBase64String(bytes);
    }
}

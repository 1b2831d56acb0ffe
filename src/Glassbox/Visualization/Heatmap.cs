using System.Globalization;
using Glassbox.Tensors;

namespace Glassbox.Visualization;

/// <summary>
/// A table of numbers as coloured cells, like plotly's <c>imshow</c>: [layer, head] scores, ablation
/// effects, patching results over [layer, position]. Rows run top to bottom, columns left to right,
/// with axis titles, tick labels (indices by default; token strings work), a colour bar with its
/// scale, each cell's value on hover, and the value printed in the cell when cells are large enough.
/// NaN and ±∞ cells are left blank (light grey) and named on hover (−∞ reads "masked").
/// </summary>
public static class Heatmap
{
    const double Pad = 16, TitleHeight = 34, AxisTitleRoom = 22;
    const string BlankFill = "#ececec";

    /// <summary>
    /// A self-contained HTML page with the heatmap. <paramref name="scale"/>: null chooses a diverging
    /// scale (blue-white-red, white at 0) when any value is negative, else a sequential one from 0.
    /// </summary>
    public static string Html(Tensor values, string title, string xLabel, string yLabel,
        IReadOnlyList<string>? xTicks = null, IReadOnlyList<string>? yTicks = null, ColorScale? scale = null) =>
        Page.Document(title, Render(values, title, xLabel, yLabel, xTicks, yTicks, scale, HoverStyle.DataAttribute));

    /// <summary>The same picture as a standalone SVG document (hover text in &lt;title&gt; elements).</summary>
    public static string Svg(Tensor values, string title, string xLabel, string yLabel,
        IReadOnlyList<string>? xTicks = null, IReadOnlyList<string>? yTicks = null, ColorScale? scale = null) =>
        Render(values, title, xLabel, yLabel, xTicks, yTicks, scale, HoverStyle.TitleElement);

    /// <summary>
    /// Draws the heatmap. <paramref name="cellHover"/>(row, column, value) replaces the default hover
    /// text; <paramref name="squareCells"/> forces square cells (attention patterns).
    /// </summary>
    internal static string Render(Tensor values, string title, string xLabel, string yLabel,
        IReadOnlyList<string>? xTicks, IReadOnlyList<string>? yTicks, ColorScale? scale, HoverStyle hover,
        Func<int, int, float, string>? cellHover = null, bool squareCells = false)
    {
        if (values.Rank != 2) throw new ArgumentException($"A heatmap takes a [rows, columns] tensor; got shape {Tensor.Format(values.Shape)}.", nameof(values));
        int rows = values.Dim(0), cols = values.Dim(1);
        if (rows == 0 || cols == 0) throw new ArgumentException("A heatmap needs at least one row and one column.", nameof(values));
        var xNames = Ticks(xTicks, cols, nameof(xTicks));
        var yNames = Ticks(yTicks, rows, nameof(yTicks));
        var colors = (scale ?? ColorScale.Auto(values.Span)).Resolve(values.Span);
        cellHover ??= (r, c, v) => $"{Join(yLabel, TokenText.Visible(yNames[r]))}, {Join(xLabel, TokenText.Visible(xNames[c]))}\n{NumberFormat.Hover(v)}";

        // Cell size: aim for about 800 × 480 pixels, square cells unless the table is very elongated.
        double cw = Math.Clamp(800.0 / cols, 4, 64), ch = Math.Clamp(480.0 / rows, 4, 64);
        if (squareCells || Math.Max(cw, ch) <= 2 * Math.Min(cw, ch)) cw = ch = Math.Min(cw, ch);

        var xLabels = CategoryLabels.Below(xNames.Select(t => TokenText.Label(t)).ToList(), cw);
        var yLabels = CategoryLabels.Left(yNames.Select(t => TokenText.Label(t)).ToList(), ch);
        double left = Math.Max(Pad + (yLabel.Length > 0 ? AxisTitleRoom : 0) + yLabels.Extent, Pad + xLabels.LeftOverhang - cw / 2);
        double top = TitleHeight + 8;
        double plotWidth = cols * cw, plotHeight = rows * ch;
        double barHeight = Math.Max(plotHeight, 120);
        double barX = left + plotWidth + 24;
        double width = Math.Max(barX + ColorBar.Width(colors) + Pad, TokenText.Width(title, 15) + 2 * Pad);
        double xTitleY = top + plotHeight + xLabels.Extent + 16;
        double height = Math.Max(xTitleY + (xLabel.Length > 0 ? 8 : -16), top + barHeight) + Pad;

        var svg = new SvgBuilder(width, height, title, hover);
        svg.Text(Pad, 24, title, 15, bold: true, fill: "#222222", cssClass: "gb-title");

        bool gaps = cw >= 16 && ch >= 16;
        // Values are printed in the cells only if every one fits, all with the same decimals.
        int decimals = NumberFormat.TableDecimals(values.Span);
        bool printValues = rows * cols <= 1024 && ch >= 16 &&
            CellTexts(values, decimals).Max(t => TokenText.Width(t, 10)) + 6 <= cw;
        svg.OpenGroup("gb-cells");
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                float v = values[r, c];
                var color = colors.ColorOf(v);
                double x = left + c * cw, y = top + r * ch;
                svg.Rect(x, y, cw, ch, color?.Hex ?? BlankFill, cellHover(r, c, v), color is null ? "gb-cell gb-blank" : "gb-cell",
                    stroke: gaps ? "#ffffff" : null);
                if (printValues && color is Rgb fill)
                    svg.Text(x + cw / 2, y + ch / 2, NumberFormat.Fixed(v, decimals), 10, "middle", fill.Luminance < 0.33 ? "#ffffff" : "#222222",
                        centerVertically: true, cssClass: "gb-cell-value", passive: true);
            }
        }
        svg.CloseGroup();

        xLabels.DrawBelow(svg, c => left + (c + 0.5) * cw, top + plotHeight, c => Join(xLabel, TokenText.Visible(xNames[c])));
        yLabels.DrawLeft(svg, left, r => top + (r + 0.5) * ch, r => Join(yLabel, TokenText.Visible(yNames[r])));
        if (xLabel.Length > 0) svg.Text(left + plotWidth / 2, xTitleY, xLabel, 12, "middle", "#444444", cssClass: "gb-axis-title");
        if (yLabel.Length > 0) svg.Text(Pad + 8, top + plotHeight / 2, yLabel, 12, "middle", "#444444", rotate: -90, centerVertically: true, cssClass: "gb-axis-title");
        ColorBar.Draw(svg, colors, barX, top, barHeight);
        return svg.Finish();
    }

    static IEnumerable<string> CellTexts(Tensor values, int decimals)
    {
        for (int i = 0; i < values.Length; i++)
            if (float.IsFinite(values.Span[i])) yield return NumberFormat.Fixed(values.Span[i], decimals);
        yield return "";
    }

    static IReadOnlyList<string> Ticks(IReadOnlyList<string>? ticks, int count, string name)
    {
        if (ticks is null) return Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (ticks.Count != count) throw new ArgumentException($"{ticks.Count} tick labels for an axis of {count} items.", name);
        return ticks;
    }

    static string Join(string axis, string tick) => axis.Length == 0 ? tick : $"{axis} {tick}";
}

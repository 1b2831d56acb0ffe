namespace Glassbox.Visualization;

/// <summary>
/// Signed values per named component — direct logit attribution per head or layer ("embed", "L0H3",
/// "0_mlp_out"), ablation effect per component — as bars from a zero line: red for positive, blue for
/// negative, the value on hover (anywhere in the item's column) and printed at the bar's end when there
/// is room. Past <see cref="LineThreshold"/> components a line replaces the bars. NaN and ±∞ draw nothing
/// and are named on hover.
/// </summary>
public static class BarChart
{
    /// <summary>More components than this are drawn as a line with hover columns instead of bars.</summary>
    public const int LineThreshold = 200;

    static readonly ColorScale SignColors = ColorScale.Diverging(1);

    public static string Html(IReadOnlyList<string> labels, IReadOnlyList<float> values, string title, string yLabel, string xLabel = "") =>
        Page.Document(title, Render(labels, values, title, yLabel, xLabel, HoverStyle.DataAttribute));

    public static string Svg(IReadOnlyList<string> labels, IReadOnlyList<float> values, string title, string yLabel, string xLabel = "") =>
        Render(labels, values, title, yLabel, xLabel, HoverStyle.TitleElement);

    static string Render(IReadOnlyList<string> labels, IReadOnlyList<float> values, string title, string yLabel, string xLabel, HoverStyle hover)
    {
        if (labels.Count != values.Count) throw new ArgumentException($"{labels.Count} labels for {values.Count} values.", nameof(labels));
        if (labels.Count == 0) throw new ArgumentException("A bar chart needs at least one value.", nameof(values));
        var (min, max) = CategoryFrame.Range(values);
        bool asLine = labels.Count > LineThreshold;
        bool printValues = labels.Count <= 32;
        var frame = new CategoryFrame(labels, min, max, title, xLabel, yLabel, legendWidth: 0, hover, includeZero: !asLine, inset: printValues ? 16 : 0);
        var svg = frame.Svg;
        string positive = SignColors.ColorAt(0.84).Hex, negative = SignColors.ColorAt(0.16).Hex;
        double barWidth = Math.Min(frame.Spacing * (frame.Spacing >= 6 ? 0.72 : 1), 44);
        int decimals = NumberFormat.TableDecimals(values.ToArray());
        double zero = frame.Y(0);

        if (asLine) frame.Line(values, "#555555", 1.5, "gb-line");
        for (int i = 0; i < labels.Count; i++)
        {
            float v = values[i];
            frame.OpenColumn(i, $"{TokenText.Visible(labels[i])}\n{NumberFormat.Hover(v)}");
            if (float.IsFinite(v) && !asLine)
            {
                double y = frame.Y(v);
                svg.Rect(frame.X(i) - barWidth / 2, Math.Min(y, zero), barWidth, Math.Max(Math.Abs(zero - y), 0.5), v >= 0 ? positive : negative, cssClass: "gb-bar");
                string text = NumberFormat.Fixed(v, decimals);
                if (printValues && TokenText.Width(text, 10) <= frame.Spacing + 4)
                    svg.Text(frame.X(i), v >= 0 ? y - 4 : y + 12, text, 10, "middle", "#444444", cssClass: "gb-bar-value", passive: true);
            }
            svg.CloseGroup();
        }
        return svg.Finish();
    }
}

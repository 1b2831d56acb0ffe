namespace Glassbox.Visualization;

/// <summary>
/// Series over an ordered axis — the logit lens or the accumulated residual stream per layer, a metric
/// per position — with a legend. Hovering a column shows every series' value there; points are marked
/// while there are few of them. A non-finite value breaks its line.
/// </summary>
public static class LineChart
{
    const int MarkerLimit = 60;
    const double LegendFontSize = 12;

    /// <summary>Distinct, colour-blind-aware colours for the series, in order (repeating after eight).</summary>
    internal static readonly string[] Palette =
        ["#3b6fb6", "#d1495b", "#2a9d8f", "#e9a23b", "#7b5ea7", "#5c946e", "#c96c9e", "#4d4d4d"];

    public static string Html(IReadOnlyList<string> xLabels, IReadOnlyList<LineSeries> series, string title, string xLabel, string yLabel) =>
        Page.Document(title, Render(xLabels, series, title, xLabel, yLabel, HoverStyle.DataAttribute));

    public static string Svg(IReadOnlyList<string> xLabels, IReadOnlyList<LineSeries> series, string title, string xLabel, string yLabel) =>
        Render(xLabels, series, title, xLabel, yLabel, HoverStyle.TitleElement);

    static string Render(IReadOnlyList<string> xLabels, IReadOnlyList<LineSeries> series, string title, string xLabel, string yLabel, HoverStyle hover)
    {
        if (series.Count == 0) throw new ArgumentException("A line chart needs at least one series.", nameof(series));
        if (xLabels.Count == 0) throw new ArgumentException("A line chart needs at least one x label.", nameof(xLabels));
        foreach (var s in series)
            if (s.Values.Count != xLabels.Count)
                throw new ArgumentException($"Series '{s.Name}' has {s.Values.Count} values for {xLabels.Count} x labels.", nameof(series));

        var names = series.Select(s => TokenText.Label(s.Name, 48)).ToList();
        double legendWidth = 26 + names.Max(n => TokenText.Width(n, LegendFontSize));
        var (min, max) = CategoryFrame.Range(series.SelectMany(s => s.Values));
        var frame = new CategoryFrame(xLabels, min, max, title, xLabel, yLabel, legendWidth, hover, includeZero: false, inset: 6, minPlotWidth: 520);
        var svg = frame.Svg;
        string Color(int k) => Palette[k % Palette.Length];

        for (int k = 0; k < series.Count; k++) frame.Line(series[k].Values, Color(k), 2, "gb-line");

        bool markers = xLabels.Count <= MarkerLimit;
        for (int i = 0; i < xLabels.Count; i++)
        {
            var lines = series.Select(s => $"{TokenText.Visible(s.Name)}: {NumberFormat.Hover(s.Values[i])}");
            frame.OpenColumn(i, TokenText.Visible(xLabels[i]) + "\n" + string.Join("\n", lines));
            svg.Line(frame.X(i), frame.Top, frame.X(i), frame.Bottom, "#999999", 1, "3 3", "gb-guide");
            for (int k = 0; k < series.Count && markers; k++)
                if (float.IsFinite(series[k].Values[i]))
                    svg.Circle(frame.X(i), frame.Y(series[k].Values[i]), 3.5, Color(k), cssClass: "gb-point", stroke: "#ffffff");
            svg.CloseGroup();
        }

        double legendX = frame.Right + 20, legendY = frame.Top + 6;
        for (int k = 0; k < series.Count; k++)
        {
            double y = legendY + k * 20;
            svg.Line(legendX, y, legendX + 18, y, Color(k), 3, cssClass: "gb-legend-swatch");
            svg.Text(legendX + 24, y, names[k], LegendFontSize, fill: "#333333", centerVertically: true, hover: TokenText.Visible(series[k].Name), cssClass: "gb-legend");
        }
        return svg.Finish();
    }
}

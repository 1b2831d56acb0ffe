namespace Glassbox.Visualization;

/// <summary>
/// The frame shared by bar and line charts: a title, a value axis on the left (nice ticks, light
/// gridlines, a darker line at 0, its title), evenly spaced categories along the bottom with their
/// labels and title, and room on the right for a legend. Charts draw their marks through <see cref="Svg"/>
/// using <see cref="X"/> and <see cref="Y"/>.
/// </summary>
internal sealed class CategoryFrame
{
    const double Pad = 16, TitleHeight = 34, AxisTitleRoom = 22, PlotHeight = 320;
    const double FontSize = 11;

    readonly double _min, _max, _inset;

    /// <summary>
    /// Lays out and draws the frame. <paramref name="includeZero"/> stretches the value axis to 0 (bars
    /// grow from it); <paramref name="inset"/> keeps that many pixels free inside the plot above the top
    /// tick and below the bottom one (room for printed values); the plot is at least
    /// <paramref name="minPlotWidth"/> wide.
    /// </summary>
    public CategoryFrame(IReadOnlyList<string> labels, double dataMin, double dataMax, string title, string xLabel, string yLabel,
        double legendWidth, HoverStyle hover, bool includeZero, double inset = 0, double minPlotWidth = 320)
    {
        Count = labels.Count;
        _inset = inset;
        (_min, _max, double[] ticks, int decimals) = AxisTicks.ValueAxis(dataMin, dataMax, includeZero: includeZero);
        var tickLabels = ticks.Select(t => NumberFormat.Fixed(t, decimals)).ToArray();
        double tickWidth = tickLabels.Max(t => TokenText.Width(t, FontSize));

        Spacing = Math.Clamp(960.0 / Math.Max(1, Count), 2, 56);
        PlotWidth = Math.Max(Count * Spacing, minPlotWidth);
        Spacing = PlotWidth / Math.Max(1, Count);
        var xLabels = CategoryLabels.Below(labels.Select(l => TokenText.Label(l, 18)).ToList(), Spacing);

        Left = Math.Max(Pad + (yLabel.Length > 0 ? AxisTitleRoom : 0) + tickWidth + 8, Pad + xLabels.LeftOverhang - Spacing / 2);
        Top = TitleHeight + 10;
        double bottom = Top + PlotHeight;
        double xTitleY = bottom + xLabels.Extent + 16;
        double width = Math.Max(Left + PlotWidth + (legendWidth > 0 ? 20 + legendWidth : 0) + Pad, TokenText.Width(title, 15) + 2 * Pad);
        double height = xTitleY + (xLabel.Length > 0 ? 8 : -16) + Pad;

        Svg = new SvgBuilder(width, height, title, hover);
        Svg.Text(Pad, 24, title, 15, bold: true, fill: "#222222", cssClass: "gb-title");
        for (int i = 0; i < ticks.Length; i++)
        {
            double y = Y(ticks[i]);
            bool zero = Math.Abs(ticks[i]) < 1e-12;
            Svg.Line(Left, y, Left + PlotWidth, y, zero ? "#555555" : "#e4e4e4", zero ? 1.2 : 1, cssClass: zero ? "gb-zero" : "gb-grid");
            Svg.Text(Left - 6, y, tickLabels[i], FontSize, "end", "#555555", centerVertically: true, cssClass: "gb-tick");
        }
        Svg.Line(Left, Top + PlotHeight, Left + PlotWidth, Top + PlotHeight, "#999999");
        xLabels.DrawBelow(Svg, X, Top + PlotHeight, i => TokenText.Visible(labels[i]));
        if (xLabel.Length > 0) Svg.Text(Left + PlotWidth / 2, xTitleY, xLabel, 12, "middle", "#444444", cssClass: "gb-axis-title");
        if (yLabel.Length > 0) Svg.Text(Pad + 8, Top + PlotHeight / 2, yLabel, 12, "middle", "#444444", rotate: -90, centerVertically: true, cssClass: "gb-axis-title");
    }

    public SvgBuilder Svg { get; }
    public int Count { get; }

    /// <summary>Pixels between neighbouring categories.</summary>
    public double Spacing { get; }
    public double Left { get; }
    public double Top { get; }
    public double PlotWidth { get; }
    public double Bottom => Top + PlotHeight;
    public double Right => Left + PlotWidth;

    /// <summary>Centre of category <paramref name="index"/>.</summary>
    public double X(int index) => Left + (index + 0.5) * Spacing;

    /// <summary>Vertical position of <paramref name="value"/> (clamped to the plot).</summary>
    public double Y(double value) => Top + _inset + (_max - Math.Clamp(value, _min, _max)) / (_max - _min) * (PlotHeight - 2 * _inset);

    /// <summary>
    /// Opens a group covering category <paramref name="index"/>'s whole column, so hovering anywhere
    /// above or below a short bar or a point still shows <paramref name="hover"/>; close it with <see cref="SvgBuilder.CloseGroup"/>.
    /// </summary>
    public void OpenColumn(int index, string hover)
    {
        Svg.OpenGroup("gb-item", hover);
        Svg.Rect(Left + index * Spacing, Top, Spacing, PlotHeight, "transparent", cssClass: "gb-hit");
    }

    /// <summary>
    /// A line through the values at the category centres, broken where a value is NaN or ±∞ (a lone
    /// finite value between gaps becomes a dot).
    /// </summary>
    public void Line(IReadOnlyList<float> values, string stroke, double width, string cssClass)
    {
        var run = new List<(double X, double Y)>();
        for (int i = 0; i <= values.Count; i++)
        {
            if (i < values.Count && float.IsFinite(values[i]))
            {
                run.Add((X(i), Y(values[i])));
                continue;
            }
            if (run.Count == 1) Svg.Circle(run[0].X, run[0].Y, width, stroke, cssClass: cssClass);
            else if (run.Count > 1) Svg.Polyline(run, stroke, width, cssClass);
            run.Clear();
        }
    }

    /// <summary>Finds the finite minimum and maximum over all values (0 and 1 when there is none).</summary>
    public static (double Min, double Max) Range(IEnumerable<float> values)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue;
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return min > max ? (0, 1) : (min, max);
    }
}

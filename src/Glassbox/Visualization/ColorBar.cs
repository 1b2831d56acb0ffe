namespace Glassbox.Visualization;

/// <summary>
/// A vertical colour bar: the scale's gradient (low at the bottom) with nice ticks and their values on
/// its right, as plotly draws beside an imshow.
/// </summary>
internal static class ColorBar
{
    public const double BarWidth = 14;
    const double FontSize = 11;

    /// <summary>Total width taken by the bar, its ticks and their labels.</summary>
    public static double Width(ColorScale scale) =>
        BarWidth + 6 + Ticks(scale).Max(t => TokenText.Width(t.Label, FontSize)) + 4;

    public static void Draw(SvgBuilder svg, ColorScale scale, double x, double y, double height, string gradientId = "gb-colorbar")
    {
        svg.LinearGradient(gradientId, scale.Stops, vertical: true);
        svg.Rect(x, y, BarWidth, height, $"url(#{gradientId})", cssClass: "gb-colorbar", stroke: "#bbbbbb", strokeWidth: 0.5);
        float lo = scale.Min!.Value, hi = scale.Max!.Value;
        foreach (var (value, label) in Ticks(scale))
        {
            double ty = y + height - (value - lo) / (hi - lo) * height;
            svg.Line(x + BarWidth, ty, x + BarWidth + 4, ty, "#666666");
            svg.Text(x + BarWidth + 6, ty, label, FontSize, centerVertically: true, cssClass: "gb-colorbar-tick");
        }
    }

    static IEnumerable<(double Value, string Label)> Ticks(ColorScale scale)
    {
        if (!scale.IsResolved) throw new InvalidOperationException("Resolve the colour scale against the data before drawing its bar.");
        double lo = scale.Min!.Value, hi = scale.Max!.Value;
        var (step, decimals) = AxisTicks.NiceStep(lo, hi, 5);
        return AxisTicks.Inside(lo, hi, step).Select(v => (v, NumberFormat.Fixed(v, decimals)));
    }
}

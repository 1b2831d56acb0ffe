namespace Glassbox.Visualization;

/// <summary>
/// Tick labels of a categorical axis (heads, layers, positions, tokens, component names), laid out so
/// they never overlap: below a horizontal axis they stay level when they fit, turn 45° when they are
/// long, 90° when items are tightly packed; when even that collides only every k-th item is labelled
/// (k from 1, 2, 5, 10, …). <see cref="Extent"/> is the room the labels need away from the axis.
/// </summary>
internal sealed class CategoryLabels
{
    const double TickLength = 4;

    CategoryLabels(IReadOnlyList<string> labels, double fontSize, double rotation, int stride, double extent)
    {
        Labels = labels;
        FontSize = fontSize;
        Rotation = rotation;
        Stride = stride;
        Extent = extent;
    }

    public IReadOnlyList<string> Labels { get; }
    public double FontSize { get; }

    /// <summary>0, −45 or −90 degrees.</summary>
    public double Rotation { get; }

    /// <summary>Every Stride-th item carries a label.</summary>
    public int Stride { get; }

    /// <summary>Pixels the labels (and ticks) take away from the axis line.</summary>
    public double Extent { get; }

    /// <summary>How far labels turned 45° reach left of the first item's centre.</summary>
    public double LeftOverhang => Rotation == -45 && Labels.Count > 0 ? TokenText.Width(Labels[0], FontSize) * 0.71 : 0;

    /// <summary>Labels under a horizontal axis whose items are <paramref name="spacing"/> pixels apart.</summary>
    public static CategoryLabels Below(IReadOnlyList<string> labels, double spacing, double fontSize = 11)
    {
        double widest = labels.Count == 0 ? 0 : labels.Max(l => TokenText.Width(l, fontSize));
        double lineHeight = fontSize * 1.3;
        double room = TickLength + 3;
        if (widest + 6 <= spacing) return new(labels, fontSize, 0, 1, room + lineHeight);
        if (widest <= 2.6 * fontSize)   // short labels such as numbers: stay level, label fewer
            return new(labels, fontSize, 0, AxisTicks.Stride(spacing, widest + 8), room + lineHeight);
        if (spacing >= 1.6 * fontSize) return new(labels, fontSize, -45, 1, room + widest * 0.71 + fontSize);
        return new(labels, fontSize, -90, AxisTicks.Stride(spacing, lineHeight), room + widest + 2);
    }

    /// <summary>Level labels left of a vertical axis whose items are <paramref name="spacing"/> pixels apart.</summary>
    public static CategoryLabels Left(IReadOnlyList<string> labels, double spacing, double fontSize = 11)
    {
        double widest = labels.Count == 0 ? 0 : labels.Max(l => TokenText.Width(l, fontSize));
        return new(labels, fontSize, 0, AxisTicks.Stride(spacing, fontSize * 1.25), TickLength + 4 + widest);
    }

    public bool Shows(int index) => index % Stride == 0;

    /// <summary>Draws the labels under the axis line at <paramref name="axisY"/>; item i is centred at <paramref name="x"/>(i).</summary>
    public void DrawBelow(SvgBuilder svg, Func<int, double> x, double axisY, Func<int, string>? hover = null)
    {
        for (int i = 0; i < Labels.Count; i += Stride)
        {
            double cx = x(i);
            svg.Line(cx, axisY, cx, axisY + TickLength, "#888888");
            double y = axisY + TickLength + 3;
            string? tip = hover?.Invoke(i);
            if (Rotation == 0)
                svg.Text(cx, y + FontSize * 0.9, Labels[i], FontSize, "middle", hover: tip, cssClass: "gb-tick");
            else if (Rotation == -45)
                svg.Text(cx + FontSize * 0.3, y + FontSize * 0.4, Labels[i], FontSize, "end", rotate: -45, hover: tip, cssClass: "gb-tick");
            else
                svg.Text(cx, y, Labels[i], FontSize, "end", rotate: -90, centerVertically: true, hover: tip, cssClass: "gb-tick");
        }
    }

    /// <summary>Draws the labels left of the axis line at <paramref name="axisX"/>; item i is centred at <paramref name="y"/>(i).</summary>
    public void DrawLeft(SvgBuilder svg, double axisX, Func<int, double> y, Func<int, string>? hover = null)
    {
        for (int i = 0; i < Labels.Count; i += Stride)
        {
            double cy = y(i);
            svg.Line(axisX - TickLength, cy, axisX, cy, "#888888");
            svg.Text(axisX - TickLength - 3, cy, Labels[i], FontSize, "end", centerVertically: true, hover: hover?.Invoke(i), cssClass: "gb-tick");
        }
    }
}

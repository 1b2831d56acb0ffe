namespace Glassbox.Visualization;

/// <summary>The two kinds of colour scale a chart chooses between.</summary>
public enum ColorScaleKind
{
    /// <summary>White at the low end, deepening to dark red at the high end: for non-negative data (attention, scores).</summary>
    Sequential,

    /// <summary>Blue for negative, white at exactly 0, red for positive, symmetric around 0: for signed data (effects, attributions).</summary>
    Diverging,
}

/// <summary>
/// Maps values to colours. Build one with <see cref="Sequential"/> or <see cref="Diverging"/>, with a
/// fixed range or none; a chart fills a missing range from its data (<see cref="Resolve"/>), and a chart
/// given no scale at all uses <see cref="Auto"/>: diverging if any value is negative, else sequential
/// from 0. Non-finite values have no colour (charts leave them blank).
/// </summary>
public sealed class ColorScale
{
    // Stops at fractions 0..1 of the range; colours between stops are interpolated in sRGB, the way an
    // SVG linear gradient does, so the colour bar shows exactly the colours of the cells.
    static readonly (double At, Rgb Color)[] SequentialStops =
    [
        (0.00, Rgb.Parse("#ffffff")),
        (0.15, Rgb.Parse("#fde5d6")),
        (0.40, Rgb.Parse("#f4a582")),
        (0.65, Rgb.Parse("#d6604d")),
        (0.85, Rgb.Parse("#a8203a")),
        (1.00, Rgb.Parse("#5e0a2a")),
    ];

    static readonly (double At, Rgb Color)[] DivergingStops =
    [
        (0.00, Rgb.Parse("#0d3b7a")),
        (0.15, Rgb.Parse("#2f6db5")),
        (0.32, Rgb.Parse("#7fb0db")),
        (0.45, Rgb.Parse("#d7e7f4")),
        (0.50, Rgb.Parse("#ffffff")),
        (0.55, Rgb.Parse("#f9ddd0")),
        (0.68, Rgb.Parse("#ec9a7d")),
        (0.85, Rgb.Parse("#c23a3a")),
        (1.00, Rgb.Parse("#6b0a1f")),
    ];

    ColorScale(ColorScaleKind kind, float? min, float? max)
    {
        Kind = kind;
        Min = min;
        Max = max;
    }

    public ColorScaleKind Kind { get; }

    /// <summary>The value drawn with the first colour, or null to take it from the data.</summary>
    public float? Min { get; }

    /// <summary>The value drawn with the last colour, or null to take it from the data.</summary>
    public float? Max { get; }

    /// <summary>Whether both ends are known, so <see cref="ColorOf"/> can be used.</summary>
    public bool IsResolved => Min is not null && Max is not null;

    /// <summary>White → dark red from <paramref name="min"/> to <paramref name="max"/>; a missing end comes from the data (min: 0, or the data's minimum if negative).</summary>
    public static ColorScale Sequential(float? min = null, float? max = null)
    {
        if (min is float lo && max is float hi && !(hi > lo))
            throw new ArgumentException($"A colour scale needs min < max (got {lo} and {hi}).");
        return new(ColorScaleKind.Sequential, min, max);
    }

    /// <summary>Blue → white → red over [−<paramref name="limit"/>, +<paramref name="limit"/>], white at 0; without a limit, the data's largest magnitude.</summary>
    public static ColorScale Diverging(float? limit = null)
    {
        if (limit is float l && !(l > 0 && float.IsFinite(l)))
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "The limit of a diverging scale must be positive and finite.");
        return new(ColorScaleKind.Diverging, limit is null ? null : -limit, limit);
    }

    /// <summary>The scale a chart picks for <paramref name="values"/> when given none: diverging for signed data, sequential otherwise.</summary>
    public static ColorScale Auto(ReadOnlySpan<float> values)
    {
        var (min, _, _) = FiniteRange(values);
        return (min < 0 ? Diverging() : Sequential()).Resolve(values);
    }

    /// <summary>This scale with any missing end taken from the finite <paramref name="values"/>.</summary>
    public ColorScale Resolve(ReadOnlySpan<float> values)
    {
        if (IsResolved) return this;
        var (min, max, maxAbs) = FiniteRange(values);
        if (Kind == ColorScaleKind.Diverging)
        {
            float limit = maxAbs > 0 ? maxAbs : 1;
            return new(Kind, -limit, limit);
        }
        float lo = Min ?? Math.Min(0, min);
        float hi = Max ?? max;
        if (!(hi > lo)) hi = lo + 1;   // constant data: its colour is the low end
        return new(Kind, lo, hi);
    }

    /// <summary>The colour of <paramref name="value"/>; values outside the range get the end colours. Null for NaN and ±∞.</summary>
    public Rgb? ColorOf(float value)
    {
        if (!float.IsFinite(value)) return null;
        return ColorAt(Fraction(value));
    }

    /// <summary>Where <paramref name="value"/> lies in the range, clamped to 0..1.</summary>
    public double Fraction(float value)
    {
        if (Min is not float lo || Max is not float hi)
            throw new InvalidOperationException("This colour scale has no range yet; call Resolve with the data first.");
        return Math.Clamp((value - (double)lo) / ((double)hi - lo), 0, 1);
    }

    /// <summary>The colour at fraction <paramref name="t"/> (0..1) of the range.</summary>
    public Rgb ColorAt(double t)
    {
        var stops = Stops;
        t = Math.Clamp(t, 0, 1);
        for (int i = 1; i < stops.Count; i++)
        {
            if (t <= stops[i].At)
            {
                var (a, b) = (stops[i - 1], stops[i]);
                return Rgb.Lerp(a.Color, b.Color, (t - a.At) / (b.At - a.At));
            }
        }
        return stops[^1].Color;
    }

    /// <summary>The colour stops at fractions of the range (for gradients in SVG, CSS and the viewer's script).</summary>
    public IReadOnlyList<(double At, Rgb Color)> Stops => Kind == ColorScaleKind.Diverging ? DivergingStops : SequentialStops;

    public override string ToString() => $"{Kind} [{Min?.ToString() ?? "auto"}, {Max?.ToString() ?? "auto"}]";

    static (float Min, float Max, float MaxAbs) FiniteRange(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) continue;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        if (min > max) return (0, 0, 0);   // no finite value
        return (min, max, Math.Max(Math.Abs(min), Math.Abs(max)));
    }
}

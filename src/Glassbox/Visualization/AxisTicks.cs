namespace Glassbox.Visualization;

/// <summary>
/// Where ticks go. Numeric axes get "nice" steps (1, 2 or 5 times a power of ten) covering a range;
/// categorical axes (heads, positions, tokens, components) label every k-th item, with k a nice number,
/// when labels would otherwise collide.
/// </summary>
internal static class AxisTicks
{
    /// <summary>A nice step giving about <paramref name="target"/> intervals over [<paramref name="min"/>, <paramref name="max"/>], and how many decimals its labels need.</summary>
    public static (double Step, int Decimals) NiceStep(double min, double max, int target)
    {
        double span = max - min;
        if (!(span > 0) || !double.IsFinite(span)) span = Math.Abs(min) > 0 ? Math.Abs(min) : 1;
        double rough = span / Math.Max(1, target);
        double power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = rough / power;
        double nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        double step = nice * power;
        int decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return (step, decimals);
    }

    /// <summary>The multiples of <paramref name="step"/> inside [<paramref name="min"/>, <paramref name="max"/>] (with a little tolerance at the ends).</summary>
    public static double[] Inside(double min, double max, double step)
    {
        double epsilon = step * 1e-6;
        long first = (long)Math.Ceiling((min - epsilon) / step), last = (long)Math.Floor((max + epsilon) / step);
        if (last < first) return [];
        var ticks = new double[last - first + 1];
        for (long i = first; i <= last; i++) ticks[i - first] = i * step;
        return ticks;
    }

    /// <summary>
    /// The axis range for bars and lines: the data range widened to include 0 and rounded outward to
    /// whole steps, with the ticks and label decimals.
    /// </summary>
    public static (double Min, double Max, double[] Ticks, int Decimals) ValueAxis(double dataMin, double dataMax, int target = 6, bool includeZero = true)
    {
        if (!double.IsFinite(dataMin) || !double.IsFinite(dataMax)) (dataMin, dataMax) = (0, 1);
        if (includeZero) (dataMin, dataMax) = (Math.Min(0, dataMin), Math.Max(0, dataMax));
        if (dataMax - dataMin <= 0) (dataMin, dataMax) = dataMin == 0 ? (0, 1) : (dataMin - Math.Abs(dataMin) / 2, dataMax + Math.Abs(dataMax) / 2);
        var (step, decimals) = NiceStep(dataMin, dataMax, target);
        double lo = Math.Floor(dataMin / step + 1e-9) * step, hi = Math.Ceiling(dataMax / step - 1e-9) * step;
        return (lo, hi, Inside(lo, hi, step), decimals);
    }

    /// <summary>
    /// Label every k-th of items <paramref name="spacing"/> pixels apart when a label needs
    /// <paramref name="labelExtent"/> pixels along the axis: the smallest k from 1, 2, 5, 10, 20, 50, … that fits.
    /// </summary>
    public static int Stride(double spacing, double labelExtent)
    {
        if (spacing <= 0) return 1;
        double needed = labelExtent / spacing;
        for (int power = 1; ; power *= 10)
            foreach (int m in (ReadOnlySpan<int>)[1, 2, 5])
                if (m * power >= needed || power > 1_000_000) return m * power;
    }
}

using System.Globalization;

namespace Glassbox.Visualization;

/// <summary>
/// Numbers as people read them on a chart: a few significant digits, no trailing zeros, scientific
/// notation only for very small or very large magnitudes, invariant culture (a decimal point, never a comma).
/// Non-finite values have words: NaN, "masked" for −∞ (a masked attention score), +inf.
/// </summary>
internal static class NumberFormat
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>What a hover shows: 4 significant digits, or the word for a non-finite value.</summary>
    public static string Hover(float value) => NonFinite(value) ?? Significant(value, 4);

    /// <summary>The word for NaN and ±∞, or null for a finite value.</summary>
    public static string? NonFinite(float value) =>
        float.IsNaN(value) ? "NaN" :
        float.IsNegativeInfinity(value) ? "masked (-inf)" :
        float.IsPositiveInfinity(value) ? "+inf" : null;

    /// <summary><paramref name="value"/> to <paramref name="digits"/> significant digits, trailing zeros dropped.</summary>
    public static string Significant(double value, int digits)
    {
        if (value == 0) return "0";
        double magnitude = Math.Abs(value);
        if (magnitude < 1e-3 || magnitude >= 1e6)
        {
            string mantissaFormat = "0." + new string('#', digits - 1) + "e+0";
            return value.ToString(mantissaFormat, Invariant).Replace("e+", "e", StringComparison.Ordinal);
        }
        int exponent = (int)Math.Floor(Math.Log10(magnitude));
        int decimals = Math.Clamp(digits - 1 - exponent, 0, 15);
        return Trim(Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("F" + decimals, Invariant));
    }

    /// <summary><paramref name="value"/> with exactly enough decimals for a tick step of 10^-<paramref name="decimals"/>.</summary>
    public static string Fixed(double value, int decimals)
    {
        if (Math.Abs(value) < Math.Pow(10, -decimals) / 2) value = 0;   // no "-0"
        return value.ToString("F" + Math.Max(0, decimals), Invariant);
    }

    /// <summary>
    /// Decimals that give the largest finite magnitude in <paramref name="values"/> three significant digits
    /// (0.953, 10.4, 0.0177): one format for a whole table, so its numbers line up and compare at a glance.
    /// </summary>
    public static int TableDecimals(ReadOnlySpan<float> values)
    {
        float largest = 0;
        foreach (float v in values)
            if (float.IsFinite(v)) largest = Math.Max(largest, Math.Abs(v));
        if (largest == 0) return 0;
        return Math.Clamp(2 - (int)Math.Floor(Math.Log10(largest)), 0, 5);
    }

    static string Trim(string s)
    {
        if (s.Contains('.', StringComparison.Ordinal)) s = s.TrimEnd('0').TrimEnd('.');
        return s == "-0" ? "0" : s;
    }
}

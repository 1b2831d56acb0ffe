using System.Globalization;

namespace Glassbox.Visualization;

/// <summary>An sRGB colour, 8 bits per channel.</summary>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>CSS / SVG notation: <c>#rrggbb</c>.</summary>
    public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");

    /// <summary>Relative luminance (WCAG), 0 for black to 1 for white: decides dark or light text on a fill.</summary>
    public double Luminance => 0.2126 * Linear(R) + 0.7152 * Linear(G) + 0.0722 * Linear(B);

    /// <summary>The colour a fraction <paramref name="t"/> of the way from <paramref name="a"/> to <paramref name="b"/> (per channel, in sRGB, as SVG gradients do).</summary>
    public static Rgb Lerp(Rgb a, Rgb b, double t) => new(Mix(a.R, b.R, t), Mix(a.G, b.G, t), Mix(a.B, b.B, t));

    public static Rgb Parse(string hex)
    {
        ReadOnlySpan<char> s = hex.AsSpan().TrimStart('#');
        if (s.Length != 6) throw new FormatException($"'{hex}' is not a #rrggbb colour.");
        return new(byte.Parse(s[..2], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                   byte.Parse(s[2..4], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                   byte.Parse(s[4..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
    }

    public override string ToString() => Hex;

    static byte Mix(byte a, byte b, double t) => (byte)Math.Clamp(Math.Round(a + (b - a) * t), 0, 255);

    static double Linear(byte channel)
    {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}

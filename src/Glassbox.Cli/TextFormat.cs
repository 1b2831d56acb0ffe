using System.Globalization;
using System.Text;

namespace Glassbox.Cli;

/// <summary>Number, size and shape formatting shared by the commands (invariant culture).</summary>
internal static class TextFormat
{
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"432,384 bytes (422.3 KiB)".</summary>
    public static string Bytes(long bytes) => bytes < 1024 ? $"{Number(bytes)} bytes" : $"{Number(bytes)} bytes ({Size(bytes)})";

    /// <summary>"422.3 KiB", "474.7 MiB".</summary>
    public static string Size(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} bytes" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary><paramref name="value"/> with <paramref name="decimals"/> decimals, "+" before positive values when <paramref name="signed"/>; never "-0.000".</summary>
    public static string Fixed(double value, int decimals = 3, bool signed = false)
    {
        if (double.IsNaN(value)) return "NaN";
        string zero = (0.0).ToString("F" + decimals, CultureInfo.InvariantCulture);
        string text = value.ToString("F" + decimals, CultureInfo.InvariantCulture);
        if (text.TrimStart('-') == zero) return zero;
        return signed && value > 0 ? "+" + text : text;
    }

    /// <summary>A token piece as a column or row label: <see cref="Quoted"/> without the quotes, at most <paramref name="max"/> characters.</summary>
    public static string Piece(string piece, int max = 12)
    {
        string text = Quoted(piece)[1..^1];
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }

    public static string Shape(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";

    /// <summary>
    /// <paramref name="text"/> in double quotes with everything invisible made visible: <c>\n</c>, <c>\r</c>,
    /// <c>\t</c>, <c>\"</c>, <c>\\</c>, and <c>\uXXXX</c> for other control and format characters, whitespace
    /// other than the plain space (NBSP, U+3000, U+0085, ...) and lone surrogates. So a token's leading
    /// space shows as <c>" the"</c>.
    /// </summary>
    public static string Quoted(string text)
    {
        var s = new StringBuilder(text.Length + 2).Append('"');
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                s.Append(c).Append(text[++i]);
                continue;
            }
            switch (c)
            {
                case '"': s.Append("\\\""); break;
                case '\\': s.Append("\\\\"); break;
                case '\n': s.Append("\\n"); break;
                case '\r': s.Append("\\r"); break;
                case '\t': s.Append("\\t"); break;
                default:
                    var category = char.GetUnicodeCategory(c);
                    if (char.IsControl(c) || (char.IsWhiteSpace(c) && c != ' ') || char.IsSurrogate(c)
                        || category is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                        s.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    else
                        s.Append(c);
                    break;
            }
        }
        return s.Append('"').ToString();
    }
}

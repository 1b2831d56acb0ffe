using System.Globalization;
using System.Text;

namespace Glassbox.Visualization;

/// <summary>
/// Escaping for every string that goes into a page or an SVG: element text, attribute values and
/// JavaScript string literals. Token strings are hostile input (&lt;, &amp;, quotes, newlines, control
/// characters, lone surrogates from split UTF-16), so nothing is written into markup without passing here.
/// </summary>
internal static class Markup
{
    /// <summary>Text content of an HTML or XML element: <c>&amp; &lt; &gt;</c> escaped, characters XML forbids replaced.</summary>
    public static string Text(string value) => Escape(value, attribute: false);

    /// <summary>
    /// A quoted attribute value (either quote style): also escapes both quotes, and writes newlines and
    /// tabs as character references so XML attribute normalisation keeps them.
    /// </summary>
    public static string Attribute(string value) => Escape(value, attribute: true);

    /// <summary>
    /// A double-quoted JavaScript string literal, safe inside a &lt;script&gt; element: besides the
    /// JSON escapes, &lt; &gt; &amp; ' and U+2028/U+2029 are written as \u escapes, so the text can
    /// close neither the string nor the script; unpaired surrogates survive as \u escapes.
    /// </summary>
    public static string JsString(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    bool paired = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
                    if (paired)
                    {
                        sb.Append(c).Append(value[++i]);
                    }
                    else if (c < 0x20 || c is '<' or '>' or '&' or '\'' or '\u2028' or '\u2029' || char.IsSurrogate(c) || c == 0x7F)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>A JavaScript array literal of strings.</summary>
    public static string JsStringArray(IEnumerable<string> values) => "[" + string.Join(",", values.Select(JsString)) + "]";

    static string Escape(string value, bool attribute)
    {
        StringBuilder? sb = null;   // created at the first character that needs replacing
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' when attribute => "&quot;",
                '\'' when attribute => "&#39;",
                '\n' when attribute => "&#10;",
                '\r' when attribute => "&#13;",
                '\t' when attribute => "&#9;",
                _ => null,
            };
            int length = 1;
            if (replacement is null)
            {
                if (IsSurrogatePair(value, i)) length = 2;
                else if (!IsXmlChar(c)) replacement = "\uFFFD";
            }

            if (replacement is not null)
            {
                sb ??= new StringBuilder(value, 0, i, value.Length + 16);
                sb.Append(replacement);
            }
            else
            {
                sb?.Append(value, i, length);
            }
            i += length - 1;
        }
        return sb?.ToString() ?? value;
    }

    static bool IsSurrogatePair(string s, int i) => char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]);

    /// <summary>
    /// Whether a single UTF-16 unit may appear in XML 1.0 text (and so in HTML without surprises): tab,
    /// newline, carriage return, printable characters; not other C0/C1 controls, DEL, lone surrogates, U+FFFE/U+FFFF.
    /// </summary>
    static bool IsXmlChar(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F) && !char.IsSurrogate(c) && c < 0xFFFE);
}

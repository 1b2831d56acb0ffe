using System.Globalization;
using System.Text;

namespace Glassbox.Visualization;

/// <summary>
/// How a token string is shown on an axis or a label: invisible characters made visible (a newline
/// reads <c>\n</c>, other control characters as their Unicode control pictures), long tokens cut with
/// an ellipsis, and a rough width estimate for laying out labels without a font engine.
/// Spaces stay spaces (the page renders them with <c>white-space: pre</c>).
/// </summary>
internal static class TokenText
{
    public static string Visible(string token)
    {
        var sb = new StringBuilder(token.Length);
        foreach (char c in token)
        {
            switch (c)
            {
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ': sb.Append((char)(0x2400 + c)); break;   // ␀ … ␟
                case '\u007F': sb.Append('\u2421'); break;            // ␡
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary><see cref="Visible"/>, cut to at most <paramref name="maxElements"/> text elements (emoji count as one).</summary>
    public static string Label(string token, int maxElements = 14)
    {
        string visible = Visible(token);
        var elements = StringInfo.GetTextElementEnumerator(visible);
        int count = 0, cut = -1;
        while (elements.MoveNext())
        {
            if (count == maxElements - 1) cut = elements.ElementIndex;
            count++;
        }
        return count <= maxElements || cut < 0 ? visible : visible[..cut] + "…";
    }

    /// <summary>
    /// Approximate rendered width in pixels of <paramref name="text"/> in a sans-serif font of
    /// <paramref name="fontSize"/>: 0.6 em per narrow character, 1 em per wide one (CJK, emoji).
    /// Generous on purpose, so labels get a little too much room rather than too little.
    /// </summary>
    public static double Width(string text, double fontSize)
    {
        double em = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            string e = (string)elements.Current;
            int cp = char.IsSurrogatePair(e, 0) ? char.ConvertToUtf32(e, 0) : e[0];
            em += cp >= 0x1100 ? 1.0 : char.IsUpper((char)cp) || cp == 'm' || cp == 'w' ? 0.7 : 0.58;
        }
        return em * fontSize;
    }
}

using System.Globalization;
using System.Text;

namespace Glassbox.Visualization;

/// <summary>
/// Writes SVG markup element by element. Every string argument is escaped here, coordinates are
/// written with two decimals in the invariant culture, and hover text goes where <see cref="HoverStyle"/>
/// says. The charts describe what to draw; this class is the only place that knows SVG syntax.
/// </summary>
internal sealed class SvgBuilder
{
    public const string FontFamily = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', 'Noto Sans', sans-serif";

    readonly StringBuilder _sb = new();
    readonly HoverStyle _hover;
    int _openGroups;

    public SvgBuilder(double width, double height, string title, HoverStyle hover)
    {
        _hover = hover;
        Width = Math.Ceiling(width);
        Height = Math.Ceiling(height);
        _sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"gb-chart\" width=\"{N(Width)}\" height=\"{N(Height)}\" viewBox=\"0 0 {N(Width)} {N(Height)}\"");
        _sb.Append($" font-family=\"{Markup.Attribute(FontFamily)}\" font-size=\"11\" style=\"white-space:pre\">\n");
        _sb.Append($"<title>{Markup.Text(title)}</title>\n");
        _sb.Append($"<style>{Markup.Text(Assets.Read("chart.css"))}</style>\n");
        _sb.Append($"<rect class=\"gb-background\" x=\"0\" y=\"0\" width=\"{N(Width)}\" height=\"{N(Height)}\" fill=\"#ffffff\"/>\n");
    }

    public double Width { get; }
    public double Height { get; }

    public void Rect(double x, double y, double width, double height, string fill, string? hover = null, string? cssClass = null,
        string? stroke = null, double strokeWidth = 1)
    {
        _sb.Append($"<rect{Class(cssClass)} x=\"{N(x)}\" y=\"{N(y)}\" width=\"{N(Math.Max(0, width))}\" height=\"{N(Math.Max(0, height))}\" fill=\"{Markup.Attribute(fill)}\"");
        if (stroke is not null) _sb.Append($" stroke=\"{Markup.Attribute(stroke)}\" stroke-width=\"{N(strokeWidth)}\"");
        Close("rect", hover);
    }

    public void Line(double x1, double y1, double x2, double y2, string stroke, double width = 1, string? dash = null, string? cssClass = null)
    {
        _sb.Append($"<line{Class(cssClass)} x1=\"{N(x1)}\" y1=\"{N(y1)}\" x2=\"{N(x2)}\" y2=\"{N(y2)}\" stroke=\"{Markup.Attribute(stroke)}\" stroke-width=\"{N(width)}\"");
        if (dash is not null) _sb.Append($" stroke-dasharray=\"{Markup.Attribute(dash)}\"");
        _sb.Append("/>\n");
    }

    public void Polyline(IEnumerable<(double X, double Y)> points, string stroke, double width = 2, string? cssClass = null)
    {
        string list = string.Join(" ", points.Select(p => $"{N(p.X)},{N(p.Y)}"));
        _sb.Append($"<polyline{Class(cssClass)} points=\"{list}\" fill=\"none\" stroke=\"{Markup.Attribute(stroke)}\" stroke-width=\"{N(width)}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n");
    }

    public void Circle(double cx, double cy, double r, string fill, string? hover = null, string? cssClass = null, string? stroke = null)
    {
        _sb.Append($"<circle{Class(cssClass)} cx=\"{N(cx)}\" cy=\"{N(cy)}\" r=\"{N(r)}\" fill=\"{Markup.Attribute(fill)}\"");
        if (stroke is not null) _sb.Append($" stroke=\"{Markup.Attribute(stroke)}\" stroke-width=\"1.5\"");
        Close("circle", hover);
    }

    /// <summary>
    /// Text at (<paramref name="x"/>, <paramref name="y"/>); <paramref name="anchor"/> is start, middle or end;
    /// <paramref name="centerVertically"/> puts the middle of the text at y instead of its baseline;
    /// <paramref name="rotate"/> turns it (degrees, counter-clockwise when negative) around its anchor point;
    /// <paramref name="passive"/> text lets the mouse through to the shape under it (a value printed in a cell).
    /// </summary>
    public void Text(double x, double y, string text, double size = 11, string anchor = "start", string fill = "#333333",
        bool bold = false, double rotate = 0, bool centerVertically = false, string? hover = null, string? cssClass = null, bool passive = false)
    {
        _sb.Append($"<text{Class(cssClass)} x=\"{N(x)}\" y=\"{N(y)}\"");
        if (passive) _sb.Append(" pointer-events=\"none\"");
        if (centerVertically) _sb.Append(" dy=\"0.35em\"");
        if (anchor != "start") _sb.Append($" text-anchor=\"{Markup.Attribute(anchor)}\"");
        if (size != 11) _sb.Append($" font-size=\"{N(size)}\"");
        if (bold) _sb.Append(" font-weight=\"600\"");
        _sb.Append($" fill=\"{Markup.Attribute(fill)}\"");
        if (rotate != 0) _sb.Append($" transform=\"rotate({N(rotate)} {N(x)} {N(y)})\"");
        if (hover is not null && _hover == HoverStyle.DataAttribute) _sb.Append($" data-tip=\"{Markup.Attribute(hover)}\"");
        _sb.Append('>').Append(Markup.Text(text));
        if (hover is not null && _hover == HoverStyle.TitleElement) _sb.Append($"<title>{Markup.Text(hover)}</title>");
        _sb.Append("</text>\n");
    }

    /// <summary>A vertical (bottom = first stop) or horizontal linear gradient usable as <c>fill="url(#id)"</c>.</summary>
    public void LinearGradient(string id, IEnumerable<(double At, Rgb Color)> stops, bool vertical)
    {
        string direction = vertical ? "x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\"" : "x1=\"0\" y1=\"0\" x2=\"1\" y2=\"0\"";
        _sb.Append($"<defs><linearGradient id=\"{Markup.Attribute(id)}\" {direction}>");
        foreach (var (at, color) in stops) _sb.Append($"<stop offset=\"{N(at)}\" stop-color=\"{color.Hex}\"/>");
        _sb.Append("</linearGradient></defs>\n");
    }

    public void OpenGroup(string? cssClass = null, string? hover = null)
    {
        _sb.Append($"<g{Class(cssClass)}");
        if (hover is not null && _hover == HoverStyle.DataAttribute) _sb.Append($" data-tip=\"{Markup.Attribute(hover)}\"");
        _sb.Append(">\n");
        if (hover is not null && _hover == HoverStyle.TitleElement) _sb.Append($"<title>{Markup.Text(hover)}</title>\n");
        _openGroups++;
    }

    public void CloseGroup()
    {
        if (_openGroups == 0) throw new InvalidOperationException("No group is open.");
        _openGroups--;
        _sb.Append("</g>\n");
    }

    public string Finish()
    {
        while (_openGroups > 0) CloseGroup();
        return _sb.Append("</svg>\n").ToString();
    }

    /// <summary>A coordinate or length: at most two decimals, no exponent, invariant culture.</summary>
    public static string N(double value)
    {
        string s = Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    static string Class(string? cssClass) => cssClass is null ? "" : $" class=\"{Markup.Attribute(cssClass)}\"";

    void Close(string element, string? hover)
    {
        if (hover is null)
        {
            _sb.Append("/>\n");
        }
        else if (_hover == HoverStyle.DataAttribute)
        {
            _sb.Append($" data-tip=\"{Markup.Attribute(hover)}\"/>\n");
        }
        else
        {
            _sb.Append($"><title>{Markup.Text(hover)}</title></{element}>\n");
        }
    }
}

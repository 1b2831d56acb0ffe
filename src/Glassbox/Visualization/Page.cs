using System.Text;

namespace Glassbox.Visualization;

/// <summary>
/// Self-contained HTML pages: one file with its CSS and JavaScript inline, no external resources, so it
/// opens in any browser offline and can be mailed or attached as it is.
/// </summary>
public static class Page
{
    /// <summary>Writes <paramref name="html"/> to <paramref name="path"/> atomically (temporary file, then rename), UTF-8.</summary>
    public static void Write(string path, string html) => AtomicText.Write(path, html);

    /// <summary>
    /// A complete document around <paramref name="body"/> (markup that is already escaped) with the shared
    /// style and the hover tooltip; <paramref name="scripts"/> are further asset names to inline after the body.
    /// </summary>
    internal static string Document(string title, string body, IEnumerable<string>? headStyles = null, IEnumerable<string>? scripts = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        sb.Append("<meta name=\"generator\" content=\"Glassbox.Visualization\">\n");
        sb.Append($"<title>{Markup.Text(title)}</title>\n<style>\n{Assets.Read("page.css")}");
        foreach (var style in headStyles ?? []) sb.Append(Assets.Read(style));
        sb.Append("</style>\n</head>\n<body>\n<main class=\"gb-page\">\n");
        sb.Append(body);
        sb.Append("</main>\n<script>\n").Append(Assets.Read("tooltip.js")).Append("</script>\n");
        foreach (var script in scripts ?? []) sb.Append("<script>\n").Append(Assets.Read(script)).Append("</script>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }
}

using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Glassbox.Tensors;
using Glassbox.Visualization;

namespace Glassbox.Tests.Visualization;

/// <summary>Pages are self-contained, carry their data intact, cannot be broken by token strings, and are written atomically.</summary>
public partial class PageTests
{
    static readonly string[] HostileTokens =
        ["<bos>", "</script><script>alert(1)</script>", "\" onclick=\"alert(1)", "<img src=x onerror=alert(1)>", "a\nb", "🙂", " &amp;", "\u2028", "'"];

    [GeneratedRegex("<script type=\"application/json\" id=\"gb-attn-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex AttentionData();

    static Tensor Patterns(int layers, int heads, int n)
    {
        var t = Tensor.Zeros(layers, heads, n, n);
        var span = t.Span;
        for (int i = 0; i < span.Length; i++) span[i] = (i % 7) / 7f;
        return t;
    }

    [Fact]
    public void AttentionPageHasTheControlsAndItsDataRoundTrips()
    {
        var patterns = Patterns(2, 3, HostileTokens.Length);
        patterns.Span[5] = float.NegativeInfinity;
        patterns.Span[6] = float.NaN;
        string html = AttentionViewer.Html(HostileTokens, patterns, "Heads <&> \"title\"", layerLabels: ["first", "second"]);

        html.Should().StartWith("<!DOCTYPE html>");
        html.Should().Contain("<title>Heads &lt;&amp;&gt; \"title\"</title>");
        Regex.Matches(html, "class=\"gb-head\"").Should().HaveCount(3);
        html.Should().Contain("<option value=\"0\">first</option><option value=\"1\">second</option>");
        html.Should().Contain("<span class=\"gb-tok\" data-pos=\"1\">&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</span>");

        using var json = JsonDocument.Parse(AttentionData().Match(html).Groups[1].Value);
        var data = json.RootElement;
        data.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()).Should().Equal(HostileTokens.Select(TokenText.Visible));
        data.GetProperty("heads").EnumerateArray().Select(t => t.GetString()).Should().Equal("H0", "H1", "H2");
        data.GetProperty("queries").GetInt32().Should().Be(HostileTokens.Length);
        data.GetProperty("scale").GetProperty("min").GetDouble().Should().Be(0);
        data.GetProperty("scale").GetProperty("max").GetDouble().Should().Be(1);
        var bytes = Convert.FromBase64String(data.GetProperty("values").GetString()!);
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        floats.Should().Equal(patterns.ToArray(), "values travel exactly, -inf and NaN included");
    }

    [Fact]
    public void HostileTokensCannotOpenOrCloseElementsInAnyPage()
    {
        var patterns = Patterns(1, 2, HostileTokens.Length);
        var heat = Tensor.Zeros(2, HostileTokens.Length);
        var pages = new[]
        {
            AttentionViewer.Html(HostileTokens, patterns, HostileTokens[1], headLabels: [HostileTokens[2], HostileTokens[3]]),
            Heatmap.Html(heat, HostileTokens[1], HostileTokens[2], HostileTokens[3], HostileTokens, ["0", HostileTokens[4]]),
            BarChart.Html(HostileTokens, HostileTokens.Select((_, i) => (float)i - 3).ToList(), HostileTokens[1], HostileTokens[3]),
            LineChart.Html(HostileTokens, [new LineSeries(HostileTokens[1], HostileTokens.Select(_ => 1f).ToList())], HostileTokens[3], HostileTokens[2], "y"),
        };
        foreach (string html in pages)
        {
            int opened = Regex.Matches(html, "<script[ >]").Count;
            Regex.Matches(html, "</script>").Count.Should().Be(opened, "only our own scripts open and close");
            html.Should().NotContain("<script>alert").And.NotContain("<img");
            foreach (Match script in Regex.Matches(html, "<script[^>]*>(.*?)</script>", RegexOptions.Singleline))
                script.Groups[1].Value.Should().NotContainAny("\u2028", "\u2029", "<!--", "<script", "<img");
            Regex.Matches(html, "<[^>]*\\sonclick=\"").Should().BeEmpty("no token becomes an attribute of an element");
            Regex.Matches(html, "</style>").Count.Should().Be(Regex.Matches(html, "<style>").Count);
        }
    }

    [Fact]
    public void PagesAreSelfContained()
    {
        var heat = Heatmap.Html(Tensor.Zeros(2, 2), "t", "x", "y");
        var attention = AttentionViewer.Html(["a", "b"], Patterns(1, 1, 2));
        foreach (var html in new[] { heat, attention })
        {
            html.Should().NotContainAny("<link", " src=", "@import", "url(http", "https:");
            // The one namespace URI that SVG requires is an identifier, not a fetch.
            Regex.Matches(html, "https?://").Select(m => html.Substring(m.Index, 26)).Where(s => s != "http://www.w3.org/2000/svg").Should().BeEmpty();
        }
    }

    [Fact]
    public void AttentionViewerChecksShapesAndLabels()
    {
        FluentActions.Invoking(() => AttentionViewer.Html(["a"], Tensor.Zeros(2, 2)))
            .Should().Throw<ArgumentException>().WithMessage("*[heads, query, key]*");
        FluentActions.Invoking(() => AttentionViewer.Html(["a", "b", "c"], Patterns(1, 1, 2)))
            .Should().Throw<ArgumentException>().WithMessage("*3 tokens*2 key positions*");
        FluentActions.Invoking(() => AttentionViewer.Html(["a", "b"], Patterns(1, 2, 2), headLabels: ["only one"]))
            .Should().Throw<ArgumentException>().WithMessage("*1 labels for 2*");
        // Fewer queries than keys: the queries are the last positions (a step of cached generation).
        string html = AttentionViewer.Html(["a", "b", "c"], Tensor.Zeros(2, 1, 3));
        html.Should().Contain("1 queries × 3 keys");
    }

    [Fact]
    public void ScoresWithMaskedEntriesGetADataScaleInsteadOfZeroToOne()
    {
        var scores = Tensor.FromArray([2f, float.NegativeInfinity, -1f, 3f], 1, 2, 2);
        string html = AttentionViewer.Html(["a", "b"], scores);
        using var json = JsonDocument.Parse(AttentionData().Match(html).Groups[1].Value);
        json.RootElement.GetProperty("scale").GetProperty("max").GetDouble().Should().Be(3);
        json.RootElement.GetProperty("scale").GetProperty("min").GetDouble().Should().Be(-3);
        json.RootElement.GetProperty("valueName").GetString().Should().Be("value");
    }

    [Fact]
    public void WritingIsAtomicUtf8WithoutBomAndReplacesTheOldFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("page.html");
        File.WriteAllText(path, "old");
        string html = Heatmap.Html(Tensor.FromArray([1f, -1f], 1, 2), "🙂 heat", "x", "y");
        Page.Write(path, html);
        var bytes = File.ReadAllBytes(path);
        bytes.Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF });
        Encoding.UTF8.GetString(bytes).Should().Be(html);
        folder.Entries().Should().Equal("page.html");

        string svgPath = folder.File("chart.svg");
        Svg.Write(svgPath, BarChart.Svg(["a"], [1f], "t", "y"));
        System.Xml.Linq.XDocument.Load(svgPath).Root!.Name.LocalName.Should().Be("svg");
        folder.Entries().Should().Equal("chart.svg", "page.html");
    }
}

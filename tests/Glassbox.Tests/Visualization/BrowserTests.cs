using System.Text.RegularExpressions;
using Glassbox.Tensors;
using Glassbox.Visualization;

namespace Glassbox.Tests.Visualization;

/// <summary>
/// The pages as a browser shows them: headless Chromium runs their scripts and takes screenshots.
/// A handful of launches, one to three seconds each. Chromium must be installed (see <see cref="Chromium"/>).
/// </summary>
public class BrowserTests
{
    static readonly string[] Words = ["the", " cat", " sat", " on", " a", " red", " mat", " and", " ran", " to", " the", " big", " ball", "\n", " 🙂"];

    /// <summary>A causal pattern with a previous-token head, an induction-like head and a uniform head.</summary>
    static Tensor Patterns(int layers, int heads, int n)
    {
        var t = Tensor.Zeros(layers, heads, n, n);
        for (int l = 0; l < layers; l++)
            for (int h = 0; h < heads; h++)
                for (int q = 0; q < n; q++)
                {
                    int target = (h % 3) switch { 0 => Math.Max(0, q - 1), 1 => q >= n / 2 ? q - n / 2 + 1 : 0, _ => -1 };
                    for (int k = 0; k <= q; k++)
                        t[l][h][q].Span[k] = target < 0 ? 1f / (q + 1) : k == target ? 0.8f : 0.2f / q;
                    if (q == 0) t[l][h][q].Span[0] = 1;
                }
        return t;
    }

    static List<string> Tokens(int n) => Enumerable.Range(0, n).Select(i => i == 3 ? "<b>&\"x\"</b>" : Words[i % Words.Length]).ToList();

    /// <summary>
    /// Run after the viewer's own script: hovers cell (query 30, key 2), hovers the prompt's token 25,
    /// then selects the third head and zooms in, and writes what it saw into data attributes.
    /// </summary>
    const string Interact = """
        <script>
        (function () {
          var canvas = document.querySelector(".gb-matrix"), box = canvas.getBoundingClientRect();
          var cell = document.querySelector(".gb-cells").offsetWidth / 40;
          canvas.dispatchEvent(new MouseEvent("mousemove", { bubbles: true, clientX: box.left + 2.5 * cell, clientY: box.top + 30.5 * cell }));
          document.body.setAttribute("data-cell-tip", document.querySelector(".gb-tip").textContent);
          document.body.setAttribute("data-on", Array.prototype.map.call(document.querySelectorAll(".gb-on"), function (e) { return e.textContent; }).join("|"));
          document.querySelectorAll(".gb-tok")[25].dispatchEvent(new MouseEvent("mouseenter"));
          document.body.setAttribute("data-colored", String(Array.prototype.filter.call(document.querySelectorAll(".gb-tok"), function (e) { return e.style.background; }).length));
          document.querySelectorAll(".gb-head")[2].click();
          var before = document.querySelector(".gb-cells").offsetWidth;
          document.querySelector("[data-zoom=in]").click();
          document.body.setAttribute("data-zoomed", String(document.querySelector(".gb-cells").offsetWidth > before));
        })();
        </script>
        """;

    [Fact]
    public void AttentionViewerRunsItsScriptAndShowsHeadsTokensAndLayers()
    {
        using var folder = new TempFolder();
        string path = folder.File("attention.html");
        string html = AttentionViewer.Html(Tokens(40), Patterns(2, 3, 40), "viewer test");
        Page.Write(path, html);
        string interactive = folder.File("interactive.html");
        Page.Write(interactive, html.Replace("</body>", Interact + "</body>", StringComparison.Ordinal));

        string dom = Chromium.DumpDom(interactive);
        dom.Should().Contain("data-ready=\"true\"", "the script ran to the end");
        Regex.Matches(dom, "<button [^>]*class=\"gb-head\"").Should().HaveCount(3);
        Regex.Matches(dom, "<option value=\"\\d\">").Should().HaveCount(2);
        Regex.Matches(dom, "class=\"gb-key[ \"]").Count.Should().BeGreaterThan(10, "key tokens are labelled along the top");
        Regex.Matches(dom, "class=\"gb-query[ \"]").Count.Should().BeGreaterThan(10, "query tokens are labelled down the side");
        dom.Should().Contain(">&lt;b&gt;&amp;\"x\"&lt;/b&gt;</div>", "a hostile token is a label's text, not markup");
        dom.Should().Contain("> cat</div>");
        dom.Should().NotContain("<b>&amp;");

        dom.Should().Contain("data-cell-tip=\"Layer 0 · H0\nquery 30  &quot;the&quot;\nkey 2  &quot; sat&quot;\nattention 0.006667\"",
            "hovering a cell names the head, both tokens and the value");
        dom.Should().Contain("data-on=\" sat|the\"", "the hovered cell's key and query labels light up");
        dom.Should().Contain("data-colored=\"26\"", "hovering token 25 colours the 26 tokens it can attend to");
        Regex.Matches(dom, "<button [^>]*aria-selected=\"true\" data-head=\"(\\d)\"").Select(m => m.Groups[1].Value)
            .Should().Equal(["2"], "clicking the third thumbnail selects that head alone");
        dom.Should().Contain("data-zoomed=\"true\"");

        var png = Chromium.Screenshot(path);
        png.DistinctColors().Should().BeGreaterThan(20);
        png.NonWhiteShare().Should().BeGreaterThan(0.03);
        png.RedAndBlueShares().Red.Should().BeGreaterThan(0.005, "attention is drawn in the sequential scale's reds");
    }

    [Fact]
    public void LongPromptsKeepTheDomSmall()
    {
        using var folder = new TempFolder();
        string path = folder.File("long.html");
        const int n = 400;
        Page.Write(path, AttentionViewer.Html(Tokens(n), Patterns(1, 4, n), "400 tokens", scale: null));

        string dom = Chromium.DumpDom(path);
        dom.Should().Contain("data-ready=\"true\"");
        int elements = Regex.Matches(dom, "<[a-z]").Count;
        elements.Should().BeLessThan(6 * n, "labels and prompt tokens are O(n); the n² cells live on a canvas");
        Regex.Matches(dom, "<canvas").Should().HaveCount(4 + 1, "a thumbnail per head and the matrix");
    }

    [Fact]
    public void HeatmapPageShowsValuesOnHoverAndBothSidesOfTheDivergingScale()
    {
        using var folder = new TempFolder();
        var values = Tensor.Zeros(6, 8);
        for (int l = 0; l < 6; l++)
            for (int h = 0; h < 8; h++) values[l, h] = (l - 2.5f) * (h - 3.5f) / 8.75f;
        values[0, 0] = float.NaN;
        string html = folder.File("heat.html"), svg = folder.File("heat.svg");
        const string hover = """
            <script>
            var cell = document.querySelectorAll(".gb-cell")[13], box = cell.getBoundingClientRect();
            cell.dispatchEvent(new MouseEvent("mouseover", { bubbles: true, clientX: box.left + 2, clientY: box.top + 2 }));
            document.body.setAttribute("data-shown", document.querySelector(".gb-tip").textContent);
            </script>
            """;
        Page.Write(html, Heatmap.Html(values, "ablation effect", "head", "layer").Replace("</body>", hover + "</body>", StringComparison.Ordinal));
        Svg.Write(svg, Heatmap.Svg(values, "ablation effect", "head", "layer"));

        string dom = Chromium.DumpDom(html);
        dom.Should().Contain("data-tip=\"layer 5, head 7\n1\"", "cells carry their value for the tooltip");
        dom.Should().Contain("data-tip=\"layer 0, head 0\nNaN\"");
        dom.Should().Contain("class=\"gb-tip\"", "the tooltip script ran");
        dom.Should().Contain("data-shown=\"layer 1, head 5\n-0.2571\"", "hovering a cell shows its tooltip");
        Regex.Matches(dom, "class=\"gb-cell[ \"]").Should().HaveCount(48);

        var png = Chromium.Screenshot(svg, 900, 600);
        var (red, blue) = png.RedAndBlueShares();
        red.Should().BeGreaterThan(0.01, "positive cells are red");
        blue.Should().BeGreaterThan(0.01, "negative cells are blue");
        png.DistinctColors().Should().BeGreaterThan(20);
    }

    [Fact]
    public void BarAndLinePagesRender()
    {
        using var folder = new TempFolder();
        string bars = folder.File("bars.html"), lines = folder.File("lines.html");
        string[] labels = ["embed", "pos_embed", "L0H0", "L0H1", "0_mlp_out", "L1H0", "L1H1", "1_mlp_out", "bias"];
        float[] values = [0.3f, -0.1f, 0.05f, -1.2f, 2.5f, 0.7f, 4.1f, -0.8f, 0.2f];
        Page.Write(bars, BarChart.Html(labels, values, "logit attribution", "logit"));
        Page.Write(lines, LineChart.Html(["0_pre", "1_pre", "2_pre", "final_post"],
            [new LineSeries("position 7", [-9f, -6f, -2f, -1f]), new LineSeries("position 12", [-8f, -7.5f, -7f, -3f])],
            "logit lens", "layer", "log prob"));

        string dom = Chromium.DumpDom(bars);
        Regex.Matches(dom, "class=\"gb-bar\"").Should().HaveCount(9);
        dom.Should().Contain("data-tip=\"L1H1\n4.1\"");

        var png = Chromium.Screenshot(lines, 900, 520);
        png.DistinctColors().Should().BeGreaterThan(20);
        png.NonWhiteShare().Should().BeGreaterThan(0.01);
    }
}

using System.Globalization;
using System.Xml.Linq;
using Glassbox.Tensors;
using Glassbox.Visualization;

namespace Glassbox.Tests.Visualization;

/// <summary>The SVG outputs are well-formed XML with the expected marks, labels, titles and values.</summary>
public class SvgChartTests
{
    static readonly XNamespace Ns = "http://www.w3.org/2000/svg";

    static XElement Parse(string svg)
    {
        var root = XDocument.Parse(svg).Root!;
        root.Name.Should().Be(Ns + "svg");
        return root;
    }

    static IEnumerable<XElement> WithClass(XElement root, string cssClass) =>
        root.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    static string Hover(XElement e) => e.Element(Ns + "title")?.Value ?? e.Parent!.Element(Ns + "title")?.Value ?? "";

    static IEnumerable<string> Texts(XElement root) => root.Descendants(Ns + "text").Select(Label);

    /// <summary>The visible text of a &lt;text&gt; element, without its hover &lt;title&gt;.</summary>
    static string Label(XElement text) => text.Nodes().OfType<XText>().FirstOrDefault()?.Value ?? "";

    [Fact]
    public void HeatmapHasACellPerValueWithItsValueAxisLabelsAndAColourBar()
    {
        var values = Tensor.FromArray([0.1f, -0.25f, 0.75f, 1f, -1f, 0f], 2, 3);
        var root = Parse(Heatmap.Svg(values, "Patching <effect> & more", "head", "layer"));

        root.Element(Ns + "title")!.Value.Should().Be("Patching <effect> & more");
        Texts(root).Should().Contain("Patching <effect> & more");
        var cells = WithClass(root, "gb-cell").ToList();
        cells.Should().HaveCount(6);
        Hover(cells[1]).Should().Be("layer 0, head 1\n-0.25");
        Hover(cells[5]).Should().Be("layer 1, head 2\n0");
        cells[5].Attribute("fill")!.Value.Should().Be("#ffffff", "signed data gets the diverging scale, white at 0");
        cells[3].Attribute("fill")!.Value.Should().Be(ColorScale.Diverging(1).ColorOf(1)!.Value.Hex);

        WithClass(root, "gb-cell-value").Select(t => t.Value).Should().Equal("0.10", "-0.25", "0.75", "1.00", "-1.00", "0.00");
        WithClass(root, "gb-tick").Select(Label).Should().Contain(["0", "1", "2"]);
        WithClass(root, "gb-axis-title").Select(t => t.Value).Should().BeEquivalentTo(["head", "layer"]);
        WithClass(root, "gb-colorbar").Should().ContainSingle();
        WithClass(root, "gb-colorbar-tick").Select(Label).Should().Contain(["-1.0", "0.0", "1.0"]);
    }

    [Fact]
    public void HeatmapTickLabelsCanBeTokensAndNonFiniteCellsAreBlankAndNamed()
    {
        var values = Tensor.FromArray([float.NaN, 0.5f, float.NegativeInfinity, 2f], 2, 2);
        string[] xTicks = ["</text><text>", "a\nb"];
        var root = Parse(Heatmap.Svg(values, "t", "position", "layer", xTicks, ["L0", "L1"]));

        var cells = WithClass(root, "gb-cell").ToList();
        WithClass(root, "gb-blank").Should().HaveCount(2);
        Hover(cells[0]).Should().Be("layer L0, position </text><text>\nNaN");
        Hover(cells[2]).Should().Be("layer L1, position </text><text>\nmasked (-inf)");
        WithClass(root, "gb-tick").Select(Label).Should().Contain(["</text><text>", "a\\nb", "L0", "L1"]);
        cells[1].Attribute("fill")!.Value.Should().NotBe("#ffffff", "non-negative data: sequential from 0, and 0.5 is not 0");
    }

    [Fact]
    public void HeatmapHonoursAGivenScaleAndRefusesMismatchedTicks()
    {
        var values = Tensor.FromArray([0.5f, 2f], 1, 2);
        var root = Parse(Heatmap.Svg(values, "t", "x", "y", scale: ColorScale.Sequential(0, 1)));
        WithClass(root, "gb-cell").Last().Attribute("fill")!.Value.Should().Be(ColorScale.Sequential(0, 1).ColorOf(1)!.Value.Hex, "clamped to the given range");
        FluentActions.Invoking(() => Heatmap.Svg(values, "t", "x", "y", xTicks: ["only one"]))
            .Should().Throw<ArgumentException>().WithMessage("*1 tick labels*2 items*");
        FluentActions.Invoking(() => Heatmap.Svg(Tensor.Zeros(2, 2, 2), "t", "x", "y")).Should().Throw<ArgumentException>().WithMessage("*[rows, columns]*");
    }

    [Fact]
    public void LargeHeatmapsThinTheirLabelsAndDoNotPrintValues()
    {
        var values = Tensor.Zeros(12, 200);
        for (int i = 0; i < values.Length; i++) values.Span[i] = MathF.Sin(i);
        var root = Parse(Heatmap.Svg(values, "patching", "position", "layer"));
        WithClass(root, "gb-cell").Should().HaveCount(2400);
        WithClass(root, "gb-cell-value").Should().BeEmpty();
        int xLabels = WithClass(root, "gb-tick").Count() - 12;
        xLabels.Should().BeInRange(10, 100, "200 positions are labelled every k-th, not all");
    }

    [Fact]
    public void BarChartHasABarPerFiniteValueWithSignColoursAndHoverValues()
    {
        string[] labels = ["embed", "L0H3", "0_mlp_out", "L1H1", "bias"];
        float[] values = [0.5f, -1.25f, 3f, float.NaN, 0f];
        var root = Parse(BarChart.Svg(labels, values, "Logit attribution", "logit"));

        var bars = WithClass(root, "gb-bar").ToList();
        bars.Should().HaveCount(4, "NaN draws no bar");
        bars[0].Attribute("fill")!.Value.Should().NotBe(bars[1].Attribute("fill")!.Value, "positive and negative bars differ in colour");
        var items = WithClass(root, "gb-item").ToList();
        items.Should().HaveCount(5);
        items.Select(i => i.Element(Ns + "title")!.Value).Should().Equal("embed\n0.5", "L0H3\n-1.25", "0_mlp_out\n3", "L1H1\nNaN", "bias\n0");
        WithClass(root, "gb-bar-value").Select(t => t.Value).Should().Equal("0.50", "-1.25", "3.00", "0.00");
        WithClass(root, "gb-tick").Select(Label).Should().Contain(labels);
        WithClass(root, "gb-zero").Should().ContainSingle("the zero line");
        WithClass(root, "gb-axis-title").Select(t => t.Value).Should().Contain("logit");

        // A negative bar hangs below the zero line, a positive one stands on it.
        double zeroY = double.Parse(WithClass(root, "gb-zero").Single().Attribute("y1")!.Value, CultureInfo.InvariantCulture);
        double Top(XElement bar) => double.Parse(bar.Attribute("y")!.Value, CultureInfo.InvariantCulture);
        double Height(XElement bar) => double.Parse(bar.Attribute("height")!.Value, CultureInfo.InvariantCulture);
        (Top(bars[0]) + Height(bars[0])).Should().BeApproximately(zeroY, 0.02);
        Top(bars[1]).Should().BeApproximately(zeroY, 0.02);
    }

    [Fact]
    public void ManyComponentsBecomeALineWithRotatedThinnedLabels()
    {
        var labels = Enumerable.Range(0, 300).Select(i => $"L{i / 12}H{i % 12}").ToList();
        var values = Enumerable.Range(0, 300).Select(i => MathF.Cos(i / 10f)).ToList();
        var root = Parse(BarChart.Svg(labels, values, "many", "value"));
        WithClass(root, "gb-bar").Should().BeEmpty();
        WithClass(root, "gb-line").Should().ContainSingle();
        WithClass(root, "gb-item").Should().HaveCount(300, "every component still has its hover column");
        var ticks = WithClass(root, "gb-tick").Where(t => Label(t).StartsWith('L')).ToList();
        ticks.Count.Should().BeLessThan(300);
        ticks.Should().OnlyContain(t => t.Attribute("transform") != null);
    }

    [Fact]
    public void LineChartHasALinePerSeriesALegendAndColumnHovers()
    {
        string[] x = ["0_pre", "1_pre", "2_pre", "final_post"];
        var series = new[]
        {
            new LineSeries("correct \"token\"", [-8f, -5f, -2f, -0.5f]),
            new LineSeries("<other>", [-7f, float.NaN, -6f, -6.5f]),
        };
        var root = Parse(LineChart.Svg(x, series, "Logit lens", "layer", "log prob"));
        WithClass(root, "gb-line").Should().HaveCount(3, "the NaN breaks the second series into a segment and a dot");
        WithClass(root, "gb-legend").Select(Label).Should().Equal("correct \"token\"", "<other>");
        var items = WithClass(root, "gb-item").ToList();
        items.Should().HaveCount(4);
        items[1].Element(Ns + "title")!.Value.Should().Be("1_pre\ncorrect \"token\": -5\n<other>: NaN");
        WithClass(root, "gb-point").Should().HaveCount(7);
        FluentActions.Invoking(() => LineChart.Svg(x, [new LineSeries("short", [1f])], "t", "x", "y"))
            .Should().Throw<ArgumentException>().WithMessage("*'short' has 1 values for 4 x labels*");
    }

    [Fact]
    public void AttentionSvgIsAHeatmapWithTokensOnBothAxes()
    {
        string[] tokens = ["<bos>", " The", " cat", " &"];
        var pattern = Tensor.Zeros(4, 4);
        for (int q = 0; q < 4; q++)
            for (int k = 0; k <= q; k++) pattern[q, k] = 1f / (q + 1);
        var root = Parse(AttentionViewer.Svg(tokens, pattern, "L1H1"));
        var cells = WithClass(root, "gb-cell").ToList();
        cells.Should().HaveCount(16);
        Hover(cells[2 * 4 + 1]).Should().Be("query 2 \" cat\" → key 1 \" The\"\n0.3333");
        var ticks = WithClass(root, "gb-tick").Select(Label).ToList();
        tokens.Should().OnlyContain(t => ticks.Count(v => v == t) == 2, "each token labels a row and a column");
        cells[0].Attribute("fill")!.Value.Should().Be(ColorScale.Sequential(0, 1).ColorOf(1)!.Value.Hex, "patterns use the fixed [0, 1] scale");
    }
}

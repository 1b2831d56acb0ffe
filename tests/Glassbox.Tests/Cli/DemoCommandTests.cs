using System.Text.Json;
using System.Xml.Linq;

namespace Glassbox.Tests.Cli;

/// <summary><c>glassbox demo</c>: the main job on a fresh clone, nothing downloaded.</summary>
public class DemoCommandTests
{
    [Fact]
    public void TheDemoFindsTheCircuitAndDrawsIt()
    {
        using var folder = new TempFolder();
        var result = Cli.Run("demo", "--out", folder.Path).ShouldSucceed();
        result.Out.Should().Contain("induction head:      L1H1").And.Contain("previous-token head: L0H0")
            .And.Contain("comes from L1H1").And.Contain("at 'cat' entering layer 0 and at 'sat' entering layer 1");
        folder.Entries().Should().Contain(["attention.html", "induction-scores.svg", "logit-attribution.svg", "patching-resid-pre.svg"]);
        foreach (var svg in folder.Entries().Where(e => e.EndsWith(".svg")))
            XDocument.Load(folder.File(svg)).Root!.Name.LocalName.Should().Be("svg");
        foreach (var html in folder.Entries().Where(e => e.EndsWith(".html")))
        {
            var page = File.ReadAllText(folder.File(html));
            page.TrimEnd().Should().EndWith("</html>");
            System.Text.RegularExpressions.Regex.IsMatch(page, @"(src|href)\s*=\s*[""']?(https?:)?//").Should().BeFalse("the pages load nothing from the network");
        }
    }

    [Fact]
    public void JsonNamesTheHeadsAndTheFiles()
    {
        using var folder = new TempFolder();
        var result = Cli.Run("demo", "--out", folder.Path, "--json").ShouldSucceed();
        using var doc = JsonDocument.Parse(result.Out);
        var root = doc.RootElement;
        root.GetProperty("induction_head").GetProperty("layer").GetInt32().Should().Be(1);
        root.GetProperty("induction_head").GetProperty("head").GetInt32().Should().Be(1);
        root.GetProperty("previous_token_head").GetProperty("head").GetInt32().Should().Be(0);
        root.GetProperty("top_logit_attribution").GetString().Should().Be("L1H1");
        root.GetProperty("files").GetArrayLength().Should().Be(folder.Entries().Length);
    }

    [Fact]
    public void AnOutputThatIsAFileIsRefused()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("taken"), "x");
        Cli.Run("demo", "--out", folder.File("taken")).ShouldFailWith(2).Should().Contain("is a file");
    }
}

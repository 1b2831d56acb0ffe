using System.Text.Json;
using System.Xml.Linq;
using Glassbox.Visualization;

namespace Glassbox.Tests.Visualization;

/// <summary>Hostile strings (token strings are anything) cannot break out of element text, attributes or script strings.</summary>
public class MarkupTests
{
    public static readonly string[] Hostile =
    [
        "</script><script>alert(1)</script>",
        "\" onmouseover=\"alert(1)",
        "' onload='alert(1)",
        "<img src=x onerror=alert(1)>",
        "a & b &amp; &lt;",
        "line one\nline two\r\n\ttabbed",
        "<!-- comment --> ]]> <![CDATA[",
        "emoji 🙂👍🏽 and 中文",
        "\u2028\u2029 separators",
        " leading space",
        "\\ backslash \\u0041",
    ];

    public static TheoryData<string> HostileStrings() => [.. Hostile];

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public void TextRoundTripsThroughXmlElementContent(string s)
    {
        string escaped = Markup.Text(s);
        escaped.Should().NotContain("<").And.NotContain(">");
        XElement.Parse($"<t>{escaped}</t>").Value.Should().Be(s.Replace("\r\n", "\n"));
    }

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public void AttributesRoundTripInEitherQuoteStyleWithNewlinesKept(string s)
    {
        string escaped = Markup.Attribute(s);
        escaped.Should().NotContainAny("\"", "'", "<", ">", "\n", "\r");
        XElement.Parse($"<t a=\"{escaped}\" b='{escaped}'/>").Attribute("a")!.Value.Should().Be(s);
        XElement.Parse($"<t a=\"{escaped}\" b='{escaped}'/>").Attribute("b")!.Value.Should().Be(s);
    }

    [Theory]
    [MemberData(nameof(HostileStrings))]
    public void JsStringsAreJsonThatCannotCloseAScript(string s)
    {
        string literal = Markup.JsString(s);
        literal.Should().NotContainAny("<", ">", "&", "\u2028", "\u2029", "\n", "\r");
        JsonDocument.Parse(literal).RootElement.GetString().Should().Be(s);
    }

    [Fact]
    public void CharactersXmlForbidsAreReplacedNotPassedThrough()
    {
        string s = "nul\0 bell\a esc\u001b del\u007f c1\u0085 lone\ud800 low\udc00 fffe\ufffe";
        string text = Markup.Text(s);
        var parsed = XElement.Parse($"<t>{text}</t>").Value;
        parsed.Should().Be("nul\uFFFD bell\uFFFD esc\uFFFD del\uFFFD c1\uFFFD lone\uFFFD low\uFFFD fffe\uFFFD");
        XElement.Parse($"<t a=\"{Markup.Attribute(s)}\"/>").Attribute("a")!.Value.Should().Be(parsed);
    }

    [Fact]
    public void SurrogatePairsSurviveAndLoneSurrogatesBecomeEscapesInScripts()
    {
        Markup.Text("🙂").Should().Be("🙂");
        Markup.JsString("🙂").Should().Be("\"🙂\"");
        Markup.JsString("a\ud800b").Should().Be("\"a\\ud800b\"");
        Markup.JsString("\0").Should().Be("\"\\u0000\"");
    }

    [Fact]
    public void TokenLabelsMakeInvisibleCharactersVisibleAndCutLongOnes()
    {
        TokenText.Visible("a\nb\tc\rd\0").Should().Be("a\\nb\\tc\\rd\u2400");
        TokenText.Label("abcdefghijklmnopqrstuvwxyz", 8).Should().Be("abcdefg…");
        TokenText.Label("👍🏽👍🏽👍🏽", 2).Should().Be("👍🏽…", "an emoji with a skin tone is one text element");
        TokenText.Label(" cat").Should().Be(" cat");
    }
}

using FsCheck;
using FsCheck.Fluent;
using Glassbox.Tokenizers;

namespace Glassbox.Tests.Tokenizers;

/// <summary>
/// The hand-written scanners give the same pieces as the regexes they stand for. On BMP text .NET's regex
/// engine is an exact reference (its <c>\s</c> is Unicode White_Space, as in Python's regex, Oniguruma and
/// Rust); outside the BMP it is not, which is why the scanners exist.
/// </summary>
public class SplitPatternProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(1000);

    // Letters (Lu, Ll, Lt, Lm, Lo), numbers (Nd, Nl, No), whitespace (incl. U+0085, NBSP, U+2028, U+3000),
    // others (incl. U+FEFF, a combining mark, ZWSP), and the pieces of every contraction in both cases.
    private static readonly string[] Atoms =
    [
        "a", "Z", "é", "Ω", "你", "ǅ", "ʰ", "0", "9", "½", "Ⅻ", "٣", " ", "  ", "\t", "\n", "\r", "\r\n", "\v", "\f", "\u0085", "\u00a0", "\u2028", "\u3000",
        "'", "!", "-", "(", ".", "\ufeff", "\u0301", "€", "\u200b", "_", "s", "S", "t", "T", "r", "R", "e", "E", "v", "V", "l", "L", "m", "M", "d", "D",
        "'s", "'T", "'re", "'VE", "'Ll", "'m", "'D",
    ];

    private static Arbitrary<string> BmpText() =>
        Gen.Choose(0, 30).SelectMany(n => Gen.Elements(Atoms).ArrayOf(n)).Select(string.Concat).ToArbitrary();

    [Theory]
    [InlineData(SplitPattern.Gpt2)]
    [InlineData(SplitPattern.Cl100k)]
    [InlineData(SplitPattern.Cl100kSingleDigits)]
    public void Scanner_matches_the_regex_on_BMP_text(string pattern)
    {
        SplitPattern scanner = SplitPattern.Create(pattern);
        scanner.Should().NotBeOfType<RegexSplitPattern>();
        var regex = new RegexSplitPattern(pattern);
        Prop.ForAll(BmpText(), s =>
        {
            var expected = new List<(int, int)>();
            var actual = new List<(int, int)>();
            regex.FindMatches(s, expected);
            scanner.FindMatches(s, actual);
            actual.Should().Equal(expected, $"pieces of {ReferenceCaseTests.Escape(s)}");
        }).Check(Runs);
    }

    [Theory]
    [InlineData(SplitPattern.Gpt2, "a𝔘b 𝟏𝟐 x", new[] { "a𝔘b", " 𝟏𝟐", " x" })]
    [InlineData(SplitPattern.Gpt2, "🍕abc", new[] { "🍕", "abc" })]
    [InlineData(SplitPattern.Cl100k, "🍕abc 𝟏𝟐𝟑𝟒", new[] { "🍕abc", " ", "𝟏𝟐𝟑", "𝟒" })]
    [InlineData(SplitPattern.Cl100kSingleDigits, "𝔘𝔫 12", new[] { "𝔘𝔫", " ", "1", "2" })]
    [InlineData(SplitPattern.Cl100k, "it'ſ", new[] { "it", "'ſ" })]
    [InlineData(SplitPattern.Gpt2, "x\u0085'll be\ufeff's", new[] { "x", "\u0085", "'ll", " be", "\ufeff'", "s" })]
    public void Scanners_work_on_code_points(string pattern, string text, string[] pieces)
    {
        var matches = new List<(int Start, int End)>();
        SplitPattern.Create(pattern).FindMatches(text, matches);
        matches.Select(m => text[m.Start..m.End]).Should().Equal(pieces);
    }

    [Fact]
    public void Other_patterns_run_on_the_regex_engine()
    {
        var matches = new List<(int Start, int End)>();
        SplitPattern pattern = SplitPattern.Create(@"\d+");
        pattern.Should().BeOfType<RegexSplitPattern>();
        pattern.FindMatches("ab12cd345", matches);
        matches.Should().Equal((2, 4), (6, 9));
    }
}

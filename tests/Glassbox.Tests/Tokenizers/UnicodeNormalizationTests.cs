using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Glassbox.Tokenizers;

namespace Glassbox.Tests.Tokenizers;

/// <summary>
/// Glassbox's own NFC/NFD/NFKC/NFKD (string.Normalize does nothing in globalization-invariant mode): the
/// examples of UAX #15 and the cases that exercise each rule, then the identities between the forms over
/// random text.
/// </summary>
public sealed class UnicodeNormalizationTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string Cps(params int[] codePoints) => string.Concat(codePoints.Select(char.ConvertFromUtf32));

    public static IEnumerable<object[]> Vectors()
    {
        // input, NFC, NFD, NFKC, NFKD
        yield return [Cps(0x1E9B, 0x0323), Cps(0x1E9B, 0x0323), Cps(0x017F, 0x0323, 0x0307), Cps(0x1E69), Cps(0x0073, 0x0323, 0x0307)];
        yield return [Cps(0x0061, 0x0301, 0x0323), Cps(0x1EA1, 0x0301), Cps(0x0061, 0x0323, 0x0301), Cps(0x1EA1, 0x0301), Cps(0x0061, 0x0323, 0x0301)];
        yield return [Cps(0x0958), Cps(0x0915, 0x093C), Cps(0x0915, 0x093C), Cps(0x0915, 0x093C), Cps(0x0915, 0x093C)];
        yield return [Cps(0x0344), Cps(0x0308, 0x0301), Cps(0x0308, 0x0301), Cps(0x0308, 0x0301), Cps(0x0308, 0x0301)];
        yield return [Cps(0x0061, 0x0301, 0x0301), Cps(0x00E1, 0x0301), Cps(0x0061, 0x0301, 0x0301), Cps(0x00E1, 0x0301), Cps(0x0061, 0x0301, 0x0301)];
        yield return [Cps(0x1D15E), Cps(0x1D157, 0x1D165), Cps(0x1D157, 0x1D165), Cps(0x1D157, 0x1D165), Cps(0x1D157, 0x1D165)];
        yield return [Cps(0x212B), Cps(0x00C5), Cps(0x0041, 0x030A), Cps(0x00C5), Cps(0x0041, 0x030A)];
        yield return [Cps(0x1100, 0x1161, 0x11A8), Cps(0xAC01), Cps(0x1100, 0x1161, 0x11A8), Cps(0xAC01), Cps(0x1100, 0x1161, 0x11A8)];
        yield return [Cps(0xFB01, 0x2460, 0x00B2, 0x00A0), Cps(0xFB01, 0x2460, 0x00B2, 0x00A0), Cps(0xFB01, 0x2460, 0x00B2, 0x00A0), "fi12 ", "fi12 "];
        yield return [Cps(0x0041, 0x030A, 0x0327), Cps(0x00C5, 0x0327), Cps(0x0041, 0x0327, 0x030A), Cps(0x00C5, 0x0327), Cps(0x0041, 0x0327, 0x030A)];
        yield return ["plain ASCII", "plain ASCII", "plain ASCII", "plain ASCII", "plain ASCII"];
        yield return ["a\ud800b", "a\ud800b", "a\ud800b", "a\ud800b", "a\ud800b"];
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Known_normal_forms(string input, string nfc, string nfd, string nfkc, string nfkd)
    {
        UnicodeNormalization.Normalize(input, NormalizationForm.FormC).Should().Be(nfc);
        UnicodeNormalization.Normalize(input, NormalizationForm.FormD).Should().Be(nfd);
        UnicodeNormalization.Normalize(input, NormalizationForm.FormKC).Should().Be(nfkc);
        UnicodeNormalization.Normalize(input, NormalizationForm.FormKD).Should().Be(nfkd);
    }

    [Fact]
    public void The_data_is_a_known_unicode_version() => UnicodeNormalization.UnicodeVersion.Should().Be("14.0.0");

    private static readonly string[] Pool =
    [
        "a", "e", "A", "o", "u", "s", "ſ", " ", "é", "Å", "Å", "ǖ", "ẛ", "ạ", "ﬁ", "①", "²", "½", "\u00a0", "ｶ", "ﾞ", "ガ", "\u1100", "\u1161", "\u11a8",
        "각", "한", "\u0301", "\u0300", "\u0308", "\u0323", "\u0327", "\u0302", "\u0345", "\u05b0", "\u093c", "क", "\u0958", "\u0344", "\U0001D15E",
        "\U0001D165", "\U0001D157", "😀", "㈜", "Ⅻ",
    ];

    [Fact]
    public void The_forms_agree_with_each_other()
    {
        Arbitrary<string> texts = Gen.Choose(0, 12).SelectMany(n => Gen.Elements(Pool).ArrayOf(n)).Select(string.Concat).ToArbitrary();
        Prop.ForAll(texts, s =>
        {
            string nfc = UnicodeNormalization.Normalize(s, NormalizationForm.FormC);
            string nfd = UnicodeNormalization.Normalize(s, NormalizationForm.FormD);
            string nfkc = UnicodeNormalization.Normalize(s, NormalizationForm.FormKC);
            string nfkd = UnicodeNormalization.Normalize(s, NormalizationForm.FormKD);
            UnicodeNormalization.Normalize(nfc, NormalizationForm.FormC).Should().Be(nfc);
            UnicodeNormalization.Normalize(nfd, NormalizationForm.FormC).Should().Be(nfc);
            UnicodeNormalization.Normalize(nfc, NormalizationForm.FormD).Should().Be(nfd);
            UnicodeNormalization.Normalize(nfkd, NormalizationForm.FormC).Should().Be(nfkc);
            UnicodeNormalization.Normalize(nfkc, NormalizationForm.FormKD).Should().Be(nfkd);
            UnicodeNormalization.Normalize(nfc, NormalizationForm.FormKC).Should().Be(nfkc);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(500));
    }

    [Fact]
    public void A_tokenizer_json_with_NFC_encodes_decomposed_text_as_composed()
    {
        JsonObject json = JsonNode.Parse(File.ReadAllText(Path.Combine(TokenizerFixtures.Folder("gpt2-tokenizer-json"), "tokenizer.json")))!.AsObject();
        json["normalizer"] = new JsonObject { ["type"] = "NFC" };
        string path = folder.File("tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        var tokenizer = HuggingFaceTokenizer.Load(path);
        tokenizer.Encode("e\u0301 a\u0300 n\u0303").Should().Equal(tokenizer.Encode("é à ñ"));
        TokenizerFixtures.Tokenizer("gpt2-tokenizer-json").Encode("e\u0301").Should().NotEqual(tokenizer.Encode("é"), "without the normalizer the forms differ");
    }
}

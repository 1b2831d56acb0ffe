using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Glassbox.Tokenizers;

namespace Glassbox.Tests.Tokenizers;

/// <summary>
/// Random strings — unicode from every plane (surrogate pairs included), whitespace of all kinds, contractions,
/// combining marks, emoji sequences and special-token text — through every reference tokenizer: Encode never
/// throws and gives ids in the vocabulary, and Decode(Encode(s)) == s wherever the original round-trips
/// (see <see cref="RoundTripTests"/> for the exceptions).
/// </summary>
public class TokenizerProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(250);

    private static readonly string[] Atoms =
    [
        "a", "Z", "hello", " world", "The", "x", "0", "7", "42", "1234567", "3.14", " ", "  ", "   ", "\t", "\n", "\r\n", "\r", "\v", "\f",
        "\u00a0", "\u3000", "\u0085", "\u2028", "\u2029", "\u200b", "\ufeff", "\u180e", "\0", "\u001f",
        "'", "'s", "'S", "'ll", "'LL", "'ve", "'re", "'d", "'m", "'t", "'ſ", "!", "?!", "...", "(", ")", "{", "}", "#", "_", "-", "=>", "\"", "\\",
        "é", "e\u0301", "\u0351\u036b", "ñ", "ß", "İ", "ǅ", "Ω", "Привет", "你好", "こんにちは", "한국어", "مرحبا", "नमस्ते", "ไทย", "½", "²", "٣",
        "🍕", "☕", "👨\u200d👩\u200d👧", "👩🏽\u200d💻", "🇺🇸", "🏳️\u200d🌈", "𝔘", "𝔫𝔦", "𝟏", "𐍈", "\U0001F600", "\U000E0041",
        "<|endoftext|>", "<s>", "</s>", "<unk>", "<|begin_of_text|>", "<|eot_id|>", "<|end_of_text|>", "<0x0A>", "<0xE4>", "<|", "|>", "▁", "Ġ",
    ];

    /// <summary>Strings made of 0–24 pieces, each an atom, a random BMP character or a random supplementary code point.</summary>
    private static Gen<string> Text(bool loneSurrogates = false)
    {
        Gen<string> bmp = Gen.Choose(0x20, 0xFFFD).Where(c => !char.IsSurrogate((char)c)).Select(c => ((char)c).ToString());
        Gen<string> astral = Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32);
        Gen<string> lone = Gen.Choose(0xD800, 0xDFFF).Select(c => ((char)c).ToString());
        var choices = new List<(int, Gen<string>)> { (6, Gen.Elements(Atoms)), (2, bmp), (1, astral) };
        if (loneSurrogates) choices.Add((1, lone));
        Gen<string> piece = Gen.Frequency(choices.ToArray());
        return Gen.Choose(0, 24).SelectMany(n => piece.ArrayOf(n)).Select(string.Concat);
    }

    private static Arbitrary<string> Strings(bool loneSurrogates = false) => Arb.From(Text(loneSurrogates), Shrink);

    private static IEnumerable<string> Shrink(string s) =>
        s.Length == 0 ? [] : new[] { s[..(s.Length / 2)], s[(s.Length / 2)..], s[1..], s[..^1] }.Where(x => x.Length < s.Length && !HasBrokenPair(x)).Distinct();

    private static bool HasBrokenPair(string s) =>
        s.Length > 0 && (char.IsLowSurrogate(s[0]) || char.IsHighSurrogate(s[^1]));

    [Theory]
    [InlineData("gpt2")]
    [InlineData("gpt2-tokenizer-json")]
    [InlineData("llama3-tokenizer-json")]
    public void Byte_level_tokenizers_round_trip_any_text(string folder)
    {
        ITokenizer tokenizer = TokenizerFixtures.Tokenizer(folder);
        string added = tokenizer.Decode(tokenizer.Encode("", addSpecialTokens: true));
        Prop.ForAll(Strings(), s =>
        {
            tokenizer.Decode(tokenizer.Encode(s)).Should().Be(s);
            tokenizer.Decode(tokenizer.Encode(s, addSpecialTokens: true)).Should().Be(added + s);
            if (tokenizer is Gpt2BpeTokenizer gpt2) gpt2.Decode(gpt2.WithSpecialTokensInText(true).Encode(s)).Should().Be(s);
        }).Check(Runs);
    }

    [Theory]
    [InlineData("llama-sp-tokenizer-json")]
    [InlineData("mistral-sp-tokenizer-json")]
    [InlineData("llama-sp-metaspace-tokenizer-json")]
    public void SentencePiece_style_tokenizers_round_trip_text_without_their_exceptions(string folder)
    {
        ITokenizer tokenizer = TokenizerFixtures.Tokenizer(folder);
        Prop.ForAll(Strings(), s =>
        {
            s = s.Replace("▁", "").Replace("<s>", "").Replace("</s>", "").Replace("<unk>", "").TrimStart(' ');
            tokenizer.Decode(tokenizer.Encode(s)).Should().Be(s);
            tokenizer.Decode(tokenizer.Encode(s, addSpecialTokens: true), skipSpecialTokens: true).Should().Be(s);
        }).Check(Runs);
    }

    [Theory]
    [InlineData("llama2c-tok512")]
    [InlineData("llama2c-tok32000")]
    public void Llama2c_tokenizers_round_trip_after_bos(string folder)
    {
        ITokenizer tokenizer = TokenizerFixtures.Tokenizer(folder);
        Prop.ForAll(Strings(), s =>
        {
            tokenizer.Decode(tokenizer.Encode(s, addSpecialTokens: true), skipSpecialTokens: true).Should().Be(s);
        }).Check(Runs);
    }

    [Fact]
    public void Encode_never_throws_and_gives_ids_in_the_vocabulary()
    {
        var tokenizers = TokenizerFixtures.Folders.Select(TokenizerFixtures.Tokenizer).ToArray();
        Prop.ForAll(Strings(loneSurrogates: true), s =>
        {
            foreach (ITokenizer tokenizer in tokenizers)
            {
                foreach (bool special in new[] { false, true })
                {
                    IReadOnlyList<int> ids = tokenizer.Encode(s, special);
                    ids.Where(id => id < 0 || id >= tokenizer.VocabSize).Should().BeEmpty();
                    tokenizer.Decode(ids).Should().NotBeNull();
                    tokenizer.ToStrTokens(ids).Should().HaveCount(ids.Count);
                }
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(100));
    }

    [Fact]
    public void A_lone_surrogate_is_encoded_as_the_replacement_character()
    {
        foreach (string folder in new[] { "gpt2", "gpt2-tokenizer-json", "llama3-tokenizer-json" })
        {
            ITokenizer tokenizer = TokenizerFixtures.Tokenizer(folder);
            tokenizer.Decode(tokenizer.Encode("a\ud800b\udc00")).Should().Be("a\ufffdb\ufffd", folder);
        }
    }

    [Fact]
    public void Shrinking_keeps_surrogate_pairs_whole() =>
        Shrink("a😀b😀").Should().OnlyContain(s => !HasBrokenPair(s) && Encoding.UTF8.GetByteCount(s) > 0);
}

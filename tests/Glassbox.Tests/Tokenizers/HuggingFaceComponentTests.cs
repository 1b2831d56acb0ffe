using System.Text.Json.Nodes;
using Glassbox.Tokenizers;
using Glassbox.Tokenizers.HuggingFace;

namespace Glassbox.Tests.Tokenizers;

/// <summary>
/// tokenizer.json parts the reference files do not exercise, against the behaviour the Hugging Face library
/// documents for them (split behaviours, Digits, Metaspace splitting, decoders, post-processors, the BPE
/// model's unknown-token handling, added-token options).
/// </summary>
public sealed class HuggingFaceComponentTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    private static string[] Pieces(PreTokenizer preTokenizer, string text)
    {
        var output = new List<Piece>();
        preTokenizer.Split(new Piece(text, AtStart: true), output);
        return output.Select(p => p.Text).ToArray();
    }

    [Theory]
    [InlineData("Removed", new[] { "the", "final", "countdown" })]
    [InlineData("Isolated", new[] { "the", "-", "final", "-", "-", "countdown" })]
    [InlineData("MergedWithPrevious", new[] { "the-", "final-", "-", "countdown" })]
    [InlineData("MergedWithNext", new[] { "the", "-final", "-", "-countdown" })]
    [InlineData("Contiguous", new[] { "the", "-", "final", "--", "countdown" })]
    public void Split_behaviours(string behavior, string[] expected) =>
        Pieces(new SplitPreTokenizer("-", null, Enum.Parse<SplitBehavior>(behavior), invert: false), "the-final--countdown").Should().Equal(expected);

    [Fact]
    public void Inverted_split_keeps_the_matches_as_the_content()
    {
        var words = new SplitPreTokenizer(null, SplitPattern.Create(@"\w+"), SplitBehavior.Removed, invert: true);
        Pieces(words, "hello, big world").Should().Equal("hello", "big", "world");
    }

    [Fact]
    public void Digits()
    {
        Pieces(new DigitsPreTokenizer(individualDigits: true), "Call 123 please").Should().Equal("Call ", "1", "2", "3", " please");
        Pieces(new DigitsPreTokenizer(individualDigits: false), "Call 123 please").Should().Equal("Call ", "123", " please");
    }

    [Fact]
    public void Metaspace_pre_tokenizer()
    {
        Pieces(new MetaspacePreTokenizer('▁', PrependScheme.Always, split: true), "Hey friend!").Should().Equal("▁Hey", "▁friend!");
        Pieces(new MetaspacePreTokenizer('▁', PrependScheme.Always, split: true), "Hey   friend!").Should().Equal("▁Hey", "▁", "▁", "▁friend!");
        Pieces(new MetaspacePreTokenizer('▁', PrependScheme.Never, split: false), "Hey friend").Should().Equal("Hey▁friend");
        var first = new MetaspacePreTokenizer('▁', PrependScheme.First, split: false);
        var later = new List<Piece>();
        first.Split(new Piece("Hey", AtStart: false), later);
        later.Single().Text.Should().Be("Hey", "only the piece at the start of the text gets the prefix");
    }

    [Fact]
    public void ByteLevel_with_a_prefix_space()
    {
        Pieces(new ByteLevelPreTokenizer(addPrefixSpace: true, useRegex: true), "Hello world").Should().Equal("ĠHello", "Ġworld");
        Pieces(new ByteLevelPreTokenizer(addPrefixSpace: true, useRegex: false), " Hello\n").Should().Equal("ĠHelloĊ");
    }

    private static string Decode(Decoder decoder, params string[] tokens)
    {
        var list = tokens.ToList();
        decoder.DecodeChain(list, wholeText: true);
        return string.Concat(list);
    }

    [Fact]
    public void Decoders()
    {
        Decode(new MetaspaceDecoder('▁', PrependScheme.Always), "▁Hey", "▁friend!").Should().Be("Hey friend!");
        Decode(new MetaspaceDecoder('▁', PrependScheme.Never), "▁Hey", "▁friend!").Should().Be(" Hey friend!");
        Decode(new ByteFallbackDecoder(), "a", "<0xE4>", "<0xBD>", "<0xA0>", "b").Should().Be("a你b");
        var invalid = new List<string> { "<0xE4>", "<0xBD>", "x" };
        new ByteFallbackDecoder().DecodeChain(invalid, wholeText: true);
        invalid.Should().Equal("\uFFFD", "\uFFFD", "x");
        Decode(new StripDecoder(' ', 1, 1), "  a  ").Should().Be(" a ");
        Decode(new SequenceDecoder([new FuseDecoder(), new StripDecoder('x', 2, 0)]), "x", "xx", "y").Should().Be("xy");
        Decode(new ByteLevelDecoder(), "Hello", "Ġworld", "<special>").Should().Be("Hello world<special>");
    }

    private HuggingFaceTokenizer Load(Action<JsonObject> edit)
    {
        JsonObject json = BadInputTests.TinyTokenizerJson();
        edit(json);
        string path = folder.File("tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        return HuggingFaceTokenizer.Load(path);
    }

    [Fact]
    public void Unknown_characters_are_dropped_without_an_unknown_token_and_fused_when_asked()
    {
        Load(_ => { }).Encode("axyb").Should().Equal(new[] { 2 }, "the dropped characters leave a and b side by side, and they merge");
        Load(j => j["model"]!["unk_token"] = "<unk>").Encode("axyb").Should().Equal(0, 3, 3, 1);
        Load(j =>
        {
            j["model"]!["unk_token"] = "<unk>";
            j["model"]!["fuse_unk"] = true;
        }).Encode("axyb").Should().Equal(0, 3, 1);
    }

    [Fact]
    public void Post_processors_add_prefix_and_suffix()
    {
        var roberta = Load(j =>
        {
            j["post_processor"] = JsonNode.Parse("""{"type": "RobertaProcessing", "sep": ["b", 1], "cls": ["a", 0]}""");
        });
        roberta.Encode("ab", addSpecialTokens: true).Should().Equal(0, 2, 1);
        roberta.BosTokenId.Should().Be(0);
        roberta.EosTokenId.Should().Be(1);

        var template = Load(j => j["post_processor"] = JsonNode.Parse("""
            {"type": "Sequence", "processors": [
              {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
              {"type": "TemplateProcessing", "single": "a $A b:1", "pair": "a $A b $B:1 b:1",
               "special_tokens": {"a": {"id": "a", "ids": [0], "tokens": ["a"]}, "b": {"id": "b", "ids": [1], "tokens": ["b"]}}}]}
            """));
        template.Encode("ab", addSpecialTokens: true).Should().Equal(0, 2, 1);
        template.Encode("ab").Should().Equal(2);
    }

    [Fact]
    public void Added_token_options()
    {
        JsonNode Added(string content, int id, bool special = true, bool normalized = false, bool lstrip = false, bool rstrip = false, bool singleWord = false) =>
            new JsonObject
            {
                ["id"] = id, ["content"] = content, ["special"] = special, ["normalized"] = normalized,
                ["lstrip"] = lstrip, ["rstrip"] = rstrip, ["single_word"] = singleWord,
            };

        var tokenizer = Load(j =>
        {
            j["model"]!["vocab"]!["<x>"] = 4;
            j["model"]!["vocab"]![" "] = 5;
            j["added_tokens"] = new JsonArray(Added("<x>", 4, lstrip: true, rstrip: true), Added("ba", 6, special: false, singleWord: true));
        });
        tokenizer.VocabSize.Should().Be(7);
        tokenizer.Encode("a <x>  b").Should().Equal(new[] { 0, 4, 1 }, "lstrip and rstrip take the spaces around the token");
        tokenizer.Encode("ba ab").Should().Equal(6, 5, 2);
        tokenizer.Encode("aba").Should().Equal(new[] { 2, 0 }, "single_word: no match inside a word");
        tokenizer.Decode([6, 4], skipSpecialTokens: true).Should().Be("ba", "only special added tokens are skipped");
        tokenizer.Decode([0, 1]).Should().Be("a b", "without a decoder the tokens are joined with spaces");
    }

    [Fact]
    public void Normalized_added_tokens_are_matched_after_normalization()
    {
        var tokenizer = Load(j =>
        {
            j["normalizer"] = JsonNode.Parse("""{"type": "Sequence", "normalizers": [{"type": "Lowercase"}, {"type": "Replace", "pattern": {"Regex": "[0-9]+"}, "content": "a"}]}""");
            j["added_tokens"] = new JsonArray(new JsonObject { ["id"] = 2, ["content"] = "AB", ["special"] = false, ["normalized"] = true });
        });
        tokenizer.Encode("AB").Should().Equal(2);
        tokenizer.Encode("B42").Should().Equal(1, 0);
    }
}

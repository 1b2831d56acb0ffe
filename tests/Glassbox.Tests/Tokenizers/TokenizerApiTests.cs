using System.Text.Json;
using Glassbox.Tokenizers;

namespace Glassbox.Tests.Tokenizers;

/// <summary>The ITokenizer surface: vocabulary look-ups, special tokens, display strings, decoding options, loading.</summary>
public class TokenizerApiTests
{
    private static ITokenizer Gpt2 => TokenizerFixtures.Tokenizer("gpt2");
    private static ITokenizer Llama => TokenizerFixtures.Tokenizer("llama-sp-tokenizer-json");
    private static ITokenizer Llama3 => TokenizerFixtures.Tokenizer("llama3-tokenizer-json");
    private static ITokenizer Tok32000 => TokenizerFixtures.Tokenizer("llama2c-tok32000");

    [Fact]
    public void The_loader_picks_the_implementation_by_the_files_present()
    {
        Gpt2.Should().BeOfType<Gpt2BpeTokenizer>();
        TokenizerFixtures.Tokenizer("gpt2-tokenizer-json").Should().BeOfType<HuggingFaceTokenizer>();
        TokenizerFixtures.Tokenizer("llama2c-tok512").Should().BeOfType<Llama2cTokenizer>("tok512.bin matches tok*.bin");
        Tok32000.Should().BeOfType<Llama2cTokenizer>();

        TokenizerLoader.Load(Path.Combine(TokenizerFixtures.Folder("gpt2"), "merges.txt")).Should().BeOfType<Gpt2BpeTokenizer>();
        TokenizerLoader.Load(Path.Combine(TokenizerFixtures.Folder("gpt2-tokenizer-json"), "tokenizer.json")).Should().BeOfType<HuggingFaceTokenizer>();
        TokenizerLoader.TryLoad(TokenizerFixtures.Folder("llama2c-tok512"), out var tok512).Should().BeTrue();
        tok512!.VocabSize.Should().Be(512);
    }

    [Fact]
    public void The_stories260K_folder_gives_its_tokenizer_not_its_model()
    {
        // The folder holds stories260K.bin (the model) and tok512.bin (the tokenizer).
        var tokenizer = TokenizerLoader.Load(SharedFiles.Reference("stories260K"));
        tokenizer.Should().BeOfType<Llama2cTokenizer>().Which.VocabSize.Should().Be(512);
    }

    [Fact]
    public void Vocabulary_sizes_and_special_tokens()
    {
        (Gpt2.VocabSize, Gpt2.BosTokenId, Gpt2.EosTokenId, Gpt2.PadTokenId).Should().Be((50257, 50256, 50256, (int?)null));
        var gpt2Json = TokenizerFixtures.Tokenizer("gpt2-tokenizer-json");
        (gpt2Json.VocabSize, gpt2Json.BosTokenId, gpt2Json.EosTokenId, gpt2Json.PadTokenId).Should().Be((50257, 50256, 50256, (int?)null));
        (Llama.VocabSize, Llama.BosTokenId, Llama.EosTokenId, Llama.PadTokenId).Should().Be((32000, 1, 2, (int?)null));
        (Llama3.VocabSize, Llama3.BosTokenId, Llama3.EosTokenId, Llama3.PadTokenId).Should().Be((128256, 128000, 128001, (int?)null));
        (Tok32000.VocabSize, Tok32000.BosTokenId, Tok32000.EosTokenId, Tok32000.PadTokenId).Should().Be((32000, 1, 2, (int?)null));
    }

    [Fact]
    public void Raw_pieces_and_their_ids()
    {
        Gpt2.IdToToken(262).Should().Be("Ġthe");
        Gpt2.TokenToId("Ġthe").Should().Be(262);
        Gpt2.IdToToken(50256).Should().Be("<|endoftext|>");
        Gpt2.TokenToId("not a token").Should().BeNull();

        Llama.IdToToken(15043).Should().Be("▁Hello");
        Llama.IdToToken(13).Should().Be("<0x0A>");
        Llama.IdToToken(1).Should().Be("<s>");
        Llama.TokenToId("<s>").Should().Be(1);

        Llama3.IdToToken(128009).Should().Be("<|eot_id|>");
        Llama3.TokenToId("<|eot_id|>").Should().Be(128009);
        Llama3.TokenToId("Ġthe").Should().Be(279);

        Tok32000.IdToToken(15043).Should().Be(" Hello", "llama2.c stores spaces as spaces");
        Tok32000.IdToToken(1).Should().Be("\n<s>\n", "the piece as llama2.c's export wrote it");
        Tok32000.TokenToId("<s>").Should().Be(1);
        Tok32000.TokenToId("\n</s>\n").Should().Be(2);
    }

    [Fact]
    public void Ids_outside_the_vocabulary_are_refused()
    {
        foreach (string folder in TokenizerFixtures.Folders)
        {
            ITokenizer tokenizer = TokenizerFixtures.Tokenizer(folder);
            var decode = () => tokenizer.Decode([0, tokenizer.VocabSize]);
            decode.Should().Throw<ArgumentOutOfRangeException>(folder).WithMessage($"*{tokenizer.VocabSize}*");
            var piece = () => tokenizer.IdToToken(-1);
            piece.Should().Throw<ArgumentOutOfRangeException>(folder);
            var display = () => tokenizer.ToStrTokens([tokenizer.VocabSize + 5]);
            display.Should().Throw<ArgumentOutOfRangeException>(folder);
        }
    }

    [Fact]
    public void Display_strings_keep_leading_spaces_in_every_family()
    {
        Gpt2.ToStrTokens(Gpt2.Encode("Hello world")).Should().Equal("Hello", " world");
        Llama.ToStrTokens(Llama.Encode("Hello world", addSpecialTokens: true)).Should().Equal("<s>", " Hello", " world");
        var metaspace = TokenizerFixtures.Tokenizer("llama-sp-metaspace-tokenizer-json");
        metaspace.ToStrTokens(metaspace.Encode("Hello world")).Should().Equal(" Hello", " world");
        Llama3.ToStrTokens(Llama3.Encode("Hello world", addSpecialTokens: true)).Should().Equal("<|begin_of_text|>", "Hello", " world");
        Tok32000.ToStrTokens(Tok32000.Encode("Hello world", addSpecialTokens: true)).Should().Equal("<s>", " Hello", " world");
    }

    [Fact]
    public void Display_strings_of_partial_characters_are_replacement_characters()
    {
        // 🍕 is not in Llama 2's vocabulary: byte fallback gives one token per UTF-8 byte.
        IReadOnlyList<int> ids = Llama.Encode("\U0001F355");
        ids.Select(Llama.IdToToken).Should().Equal("▁", "<0xF0>", "<0x9F>", "<0x8D>", "<0x95>");
        Llama.ToStrTokens(ids).Should().Equal(" ", "\uFFFD", "\uFFFD", "\uFFFD", "\uFFFD");
        Llama.Decode(ids).Should().Be("\U0001F355");
        Llama.ToStrTokens([13]).Should().Equal("\n");

        IReadOnlyList<int> gpt2 = Gpt2.Encode("\U0001F355");
        Gpt2.ToStrTokens(gpt2).Should().OnlyContain(s => s == "\uFFFD");
        Tok32000.ToStrTokens(Tok32000.Encode("\U0001F355")).Should().Equal(" ", "\uFFFD", "\uFFFD", "\uFFFD", "\uFFFD");
    }

    [Fact]
    public void Special_tokens_can_be_skipped_when_decoding()
    {
        var gpt2 = ((Gpt2BpeTokenizer)Gpt2).WithSpecialTokensInText(true);
        IReadOnlyList<int> ids = gpt2.Encode("Hello<|endoftext|> world");
        ids.Should().Contain(50256);
        gpt2.Decode(ids).Should().Be("Hello<|endoftext|> world");
        gpt2.Decode(ids, skipSpecialTokens: true).Should().Be("Hello world");

        IReadOnlyList<int> llama = Llama.Encode("Hi</s>", addSpecialTokens: true);
        llama.Should().Equal(1, 6324, 2);
        Llama.Decode(llama).Should().Be("<s> Hi</s>");
        Llama.Decode(llama, skipSpecialTokens: true).Should().Be("Hi");

        IReadOnlyList<int> tok = Tok32000.Encode("Hi", addSpecialTokens: true);
        Tok32000.Decode(tok).Should().Be("<s>Hi");
        Tok32000.Decode(tok, skipSpecialTokens: true).Should().Be("Hi");
        Tok32000.Decode(tok.Skip(1)).Should().Be(" Hi", "run.c strips the leading space only after BOS");
    }

    [Fact]
    public void Gpt2_special_tokens_in_text_are_text_unless_allowed()
    {
        var plain = (Gpt2BpeTokenizer)Gpt2;
        plain.AllowSpecialTokensInText.Should().BeFalse();
        plain.Encode("<|endoftext|>").Should().HaveCountGreaterThan(1);
        plain.WithSpecialTokensInText(true).Encode("<|endoftext|>").Should().Equal(50256);
        plain.WithSpecialTokensInText(false).Should().BeSameAs(plain);
        plain.Encode("Hi", addSpecialTokens: true).Should().Equal(plain.Encode("Hi"), "GPT-2 adds no BOS");
    }

    [Fact]
    public void The_gpt2_mini_tokenizer_encodes_its_greedy_prompts_and_decodes_their_continuations()
    {
        string folder = SharedFiles.Models("gpt2-mini");
        ITokenizer tokenizer = TokenizerLoader.Load(folder);
        tokenizer.Should().BeOfType<Gpt2BpeTokenizer>();
        (tokenizer.VocabSize, tokenizer.BosTokenId, tokenizer.EosTokenId, tokenizer.PadTokenId).Should().Be((4096, 4095, 4095, (int?)null));
        tokenizer.IdToToken(0).Should().Be("!");
        tokenizer.IdToToken(188).Should().Be("Ā", "byte 0x00 in GPT-2's byte-to-unicode order");

        using JsonDocument greedy = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "greedy.json")));
        foreach (JsonElement prompt in greedy.RootElement.GetProperty("prompts").EnumerateArray())
        {
            string text = prompt.GetProperty("text").GetString()!;
            int[] tokens = prompt.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
            int[] continuation = prompt.GetProperty("greedy").EnumerateArray().Select(t => t.GetInt32()).ToArray();
            tokenizer.Encode(text).Should().Equal(tokens, text);
            tokenizer.Encode(text, addSpecialTokens: true).Should().Equal(tokens, "tokenizer_config.json says add_bos_token: false");
            tokenizer.Decode(tokens).Should().Be(text);
            tokenizer.Decode(continuation).Should().Be(prompt.GetProperty("greedy_text").GetString());
            string whole = text + prompt.GetProperty("greedy_text").GetString();
            tokenizer.Decode(tokenizer.Encode(whole)).Should().Be(whole);
        }
    }

    [Fact]
    public void The_gpt2_mini_tokenizer_round_trips_the_reference_texts()
    {
        ITokenizer tokenizer = TokenizerLoader.Load(SharedFiles.Models("gpt2-mini"));
        foreach (TokenizerCase c in TokenizerFixtures.Cases("gpt2"))
        {
            tokenizer.Decode(tokenizer.Encode(c.Text)).Should().Be(c.Text);
        }
        tokenizer.Encode("<|endoftext|>").Should().NotEqual([4095]);
        ((Gpt2BpeTokenizer)tokenizer).WithSpecialTokensInText(true).Encode("a<|endoftext|>b").Should().Contain(4095);
    }

    [Fact]
    public void The_stories260K_tokenizer_encodes_the_prompts_run_c_encoded()
    {
        ITokenizer tokenizer = Llama2cTokenizer.Load(SharedFiles.Reference("stories260K/tok512.bin"), vocabSize: 512);
        using JsonDocument greedy = JsonDocument.Parse(File.ReadAllBytes(SharedFiles.Reference("stories260K/greedy.json")));
        foreach (JsonElement prompt in greedy.RootElement.GetProperty("prompts").EnumerateArray())
        {
            string text = prompt.GetProperty("text").GetString()!;
            tokenizer.Encode(text, addSpecialTokens: true).Should().Equal(prompt.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()), text);
            int[] continuation = prompt.GetProperty("greedy").EnumerateArray().Select(t => t.GetInt32()).ToArray();
            tokenizer.Decode(continuation).Should().Be(prompt.GetProperty("greedy_text").GetString());
        }
    }

    [Fact]
    public void One_tokenizer_serves_several_threads()
    {
        // Words new to the caches (a numbered suffix), encoded concurrently first, then one by one.
        string[] texts = TokenizerFixtures.Cases("gpt2").Select(c => c.Text).ToArray();
        string Variant(int i) => texts[i % texts.Length] + " qzx" + i + "vk" + (i * 7919);
        foreach (string folder in new[] { "gpt2", "llama3-tokenizer-json", "llama2c-tok512" })
        {
            ITokenizer tokenizer = TokenizerFixtures.Tokenizer(folder);
            var results = new IReadOnlyList<int>[texts.Length * 8];
            Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = tokenizer.Encode(Variant(i)));
            for (int i = 0; i < results.Length; i++) results[i].Should().Equal(tokenizer.Encode(Variant(i)), folder);
        }
    }
}

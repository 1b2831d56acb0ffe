using System.Text.Json;
using Glassbox.Cli;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tokenizers;

namespace Glassbox.Tests.Cli;

public class TokenizeCommandTests
{
    static string Tokenizers => SharedFiles.Reference("tokenizers");

    /// <summary>The folders under shared/reference/tokenizers that hold tokenizer files (qwen3's is not shipped).</summary>
    public static TheoryData<string> TokenizerFolders()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.EnumerateDirectories(Tokenizers).Order(StringComparer.Ordinal))
            if (File.Exists(Path.Combine(folder, "tokenizer.json")) || File.Exists(Path.Combine(folder, "vocab.json"))
                || Directory.EnumerateFiles(folder, "tok*.bin").Any())
                data.Add(Path.GetFileName(folder));
        return data;
    }

    sealed record Case(string Text, int[] Ids, int[] IdsWithSpecial);

    static Case[] Cases(string folder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Tokenizers, folder, "cases.json")));
        return doc.RootElement.EnumerateArray().Select(c => new Case(
            c.GetProperty("text").GetString()!,
            c.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            c.GetProperty("ids_with_special").EnumerateArray().Select(x => x.GetInt32()).ToArray())).ToArray();
    }

    static (int[] Ids, string[] Pieces) Json(params string[] args)
    {
        var root = JsonDocument.Parse(Cli.Run(["tokenize", .. args, "--json"]).ShouldSucceed().Out).RootElement;
        root.EnumerateObject().Select(p => p.Name).Should().Equal("ids", "pieces");
        return (root.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            root.GetProperty("pieces").EnumerateArray().Select(x => x.GetString()!).ToArray());
    }

    [Fact]
    public void EveryShippedTokenizerFolderIsCovered()
    {
        TokenizerFolders().Should().HaveCountGreaterThanOrEqualTo(8);
    }

    [Theory]
    [MemberData(nameof(TokenizerFolders))]
    public void FoldersGiveTheReferenceIdsAndTheirPieces(string name)
    {
        string folder = Path.Combine(Tokenizers, name);
        var tokenizer = TokenizerLoader.Load(folder);
        foreach (var c in Cases(name).Take(3))
        {
            var (ids, pieces) = Json(folder, "--text", c.Text, "--no-bos");
            ids.Should().Equal(c.Ids, $"{name}: '{c.Text}'");
            pieces.Should().Equal(tokenizer.ToStrTokens(c.Ids), $"{name}: one piece per token");

            var text = Cli.Run("tokenize", folder, "--text", c.Text, "--no-bos").ShouldSucceed().Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            text[^1].Should().Be(c.Ids.Length == 1 ? "1 token" : $"{c.Ids.Length:N0} tokens");
            if (c.Ids.Length > 0)
            {
                text[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("#", "id", "piece");
                text.Should().HaveCount(c.Ids.Length + 2, "a header, one row per token, the count");
                for (int i = 0; i < c.Ids.Length; i++)
                    text[1 + i].Split(' ', 3, StringSplitOptions.RemoveEmptyEntries).Should().Equal($"{i}", $"{c.Ids[i]}", TextFormat.Quoted(pieces[i]));
            }
        }
    }

    [Theory]
    [InlineData("llama2c-tok512")]
    [InlineData("llama2c-tok32000")]
    [InlineData("llama-sp-tokenizer-json")]
    [InlineData("mistral-sp-tokenizer-json")]
    public void BosComesFirstByDefault(string name)
    {
        foreach (var c in Cases(name).Take(4))
            Json(Path.Combine(Tokenizers, name), "--text", c.Text).Ids.Should().Equal(c.IdsWithSpecial, $"'{c.Text}' with BOS, as run.c and add_special_tokens give it");
    }

    [Fact]
    public void ATokenizerFileWorksToo()
    {
        var c = Cases("llama2c-tok512")[0];
        Json(Path.Combine(Tokenizers, "llama2c-tok512", "tok512.bin"), "--text", c.Text, "--no-bos").Ids.Should().Equal(c.Ids);
        var g = Cases("gpt2-tokenizer-json")[1];
        Json(Path.Combine(Tokenizers, "gpt2-tokenizer-json", "tokenizer.json"), "--text", g.Text, "--no-bos").Ids.Should().Equal(g.Ids);
    }

    [Fact]
    public void AModelFolderUsesItsTokenizerAsTheModelDoes()
    {
        string folder = SharedFiles.Models("gpt2-mini");
        var model = HookedTransformer.FromPretrained(folder);
        const string text = "In the beginning God created the heaven and the earth.";
        var (ids, pieces) = Json(folder, "--text", text);
        ids.Should().Equal(model.ToTokens(text).ToArray(), "what generate --prompt runs");
        ids[0].Should().Be(4095);
        pieces.Should().Equal(model.ToStrTokens(ids));
        Json(folder, "--text", text, "--no-bos").Ids.Should().Equal(model.ToTokens(text, prependBos: false).ToArray());
    }

    [Fact]
    public void ALlama2cCheckpointUsesTheTokenizerBesideIt()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedFiles.Reference("stories260K/greedy.json")));
        var prompt = doc.RootElement.GetProperty("prompts")[0];
        var (ids, pieces) = Json(SharedFiles.Reference("stories260K/stories260K.bin"), "--text", prompt.GetProperty("text").GetString()!);
        ids.Should().Equal(prompt.GetProperty("tokens").EnumerateArray().Select(x => x.GetInt32()));
        pieces[0].Should().Be("<s>");
        pieces.Should().Equal(Llama2cCheckpoint.Load(SharedFiles.Reference("stories260K/stories260K.bin")).ToStrTokens(ids));
    }

    [Fact]
    public void WhitespaceAndControlCharactersAreVisibleInTheTable()
    {
        string folder = Path.Combine(Tokenizers, "gpt2");
        var (ids, pieces) = Json(folder, "--text", "a\tb\n c\u00A0\u0001\"\\", "--no-bos");
        string.Concat(pieces).Should().Be("a\tb\n c\u00A0\u0001\"\\", "JSON pieces are the raw text");

        var text = Cli.Run("tokenize", folder, "--text", "a\tb\n c\u00A0\u0001\"\\", "--no-bos").ShouldSucceed().Out;
        text.Should().Contain("\"\\t\"").And.Contain("\"\\n\"").And.Contain("\" c\"").And.Contain("\\u00A0").And.Contain("\\u0001").And.Contain("\\\"").And.Contain("\\\\");
        text.Trim('\n').Split('\n').Should().HaveCount(ids.Length + 2, "no piece breaks a line");
    }

    [Fact]
    public void QuotedMakesTheInvisibleVisible()
    {
        TextFormat.Quoted(" the").Should().Be("\" the\"");
        TextFormat.Quoted("\r\n\t").Should().Be("\"\\r\\n\\t\"");
        TextFormat.Quoted("\u3000\u0085\uFEFF\u200D").Should().Be("\"\\u3000\\u0085\\uFEFF\\u200D\"");
        TextFormat.Quoted("é中😀").Should().Be("\"é中😀\"", "visible characters, surrogate pairs included, stay");
        TextFormat.Quoted("\uD83D").Should().Be("\"\\uD83D\"", "a lone surrogate is escaped");
    }

    [Fact]
    public void EmptyTextHasNoTokens()
    {
        string folder = Path.Combine(Tokenizers, "llama2c-tok512");
        Cli.Run("tokenize", folder, "--text", "", "--no-bos").ShouldSucceed().Out.Should().Be("0 tokens\n");
        Json(folder, "--text", "", "--no-bos").Ids.Should().BeEmpty();
        Json(folder, "--text", "").Ids.Should().Equal(1);
    }

    [Fact]
    public void AFolderWithoutATokenizerSaysWhatWasLookedFor()
    {
        var line = Cli.Run("tokenize", Path.Combine(Tokenizers, "qwen3-tokenizer-json"), "--text", "hi").ShouldFailWith(ExitCodes.Failure);
        line.Should().Contain("qwen3-tokenizer-json").And.Contain("tokenizer.json");
        Cli.Run("tokenize", Cli.TinyModel, "--text", "hi").ShouldFailWith(ExitCodes.Failure).Should().Contain("gpt2-tiny");
    }

    [Fact]
    public void BadArguments()
    {
        using var folder = new TempFolder();
        Cli.Run("tokenize", folder.File("missing"), "--text", "hi").ShouldFailWith(ExitCodes.Failure).Should().Contain("does not exist");
        Cli.Run("tokenize", Path.Combine(Tokenizers, "gpt2")).ShouldFailWith(ExitCodes.Usage).Should().Contain("--text");
        Cli.Run("tokenize", "--text", "hi").ShouldFailWith(ExitCodes.Usage);

        string notATokenizer = folder.File("notes.txt");
        File.WriteAllText(notATokenizer, "hello");
        Cli.Run("tokenize", notATokenizer, "--text", "hi").ShouldFailWith(ExitCodes.Failure).Should().Contain("notes.txt");

        string brokenBin = folder.File("tok9.bin");
        File.WriteAllBytes(brokenBin, [7, 0, 0, 0, 1, 2]);
        Cli.Run("tokenize", brokenBin, "--text", "hi").ShouldFailWith(ExitCodes.Failure).Should().Contain("tok9.bin");
    }

    [Fact]
    public void ACheckpointWithoutATokenizerBesideItSaysSo()
    {
        using var folder = new TempFolder();
        string bin = folder.File("model.bin");
        File.Copy(SharedFiles.Reference("stories260K/stories260K.bin"), bin);
        var line = Cli.Run("tokenize", bin, "--text", "hi").ShouldFailWith(ExitCodes.Failure);
        line.Should().Contain("model.bin").And.Contain("tok*.bin");
        Cli.Run("generate", bin, "--prompt", "hi").ShouldFailWith(ExitCodes.Usage).Should().Contain("--tokens").And.Contain("'model'");
    }
}

using System.Text;
using System.Text.Json;
using Glassbox.Cli;
using Glassbox.Loading;
using Glassbox.Models;

namespace Glassbox.Tests.Cli;

public class GenerateCommandTests
{
    static string StoriesBin => SharedFiles.Reference("stories260K/stories260K.bin");
    static string StoriesFolder => SharedFiles.Reference("stories260K");
    static string Gpt2Mini => SharedFiles.Models("gpt2-mini");

    /// <summary>Prompt <paramref name="index"/> of a greedy.json: text, prompt tokens, the greedy tokens and their text.</summary>
    static (string Text, int[] Tokens, int[] Greedy, string GreedyText) Greedy(string greedyJson, int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(greedyJson));
        var p = doc.RootElement.GetProperty("prompts")[index];
        int[] Ints(string name) => p.GetProperty(name).EnumerateArray().Select(x => x.GetInt32()).ToArray();
        return (p.GetProperty("text").GetString()!, Ints("tokens"), Ints("greedy"), p.GetProperty("greedy_text").GetString()!);
    }

    static string Ids(IEnumerable<int> ids) => string.Join(",", ids);

    static JsonElement Json(params string[] args) => JsonDocument.Parse(Cli.Run(["generate", .. args, "--json"]).ShouldSucceed().Out).RootElement;

    static int[] Ints(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetInt32()).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void StoriesBinContinuesThePromptTextAsLlama2cDoes(int index)
    {
        var reference = Greedy(SharedFiles.Reference("stories260K/greedy.json"), index);
        var result = Cli.Run("generate", StoriesBin, "--prompt", reference.Text).ShouldSucceed();
        result.Out.Should().Be(reference.GreedyText + "\n", "40 greedy tokens (the default) of llama2.c's run.c, then a newline");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void JsonHasThePromptIdsTheGreedyIdsAndTheText(int index)
    {
        var reference = Greedy(SharedFiles.Reference("stories260K/greedy.json"), index);
        var root = Json(StoriesBin, "--prompt", reference.Text);
        Ints(root, "prompt_ids").Should().Equal(reference.Tokens, "BOS, then llama2.c's encode");
        Ints(root, "generated_ids").Should().Equal(reference.Greedy);
        root.GetProperty("text").GetString().Should().Be(reference.GreedyText);
        root.GetProperty("finish_reason").GetString().Should().Be("length");
        root.GetProperty("model").GetString().Should().Be("stories260K");
    }

    [Fact]
    public void TheHuggingFaceFolderOfTheSameModelGivesTheSameTokens()
    {
        var reference = Greedy(SharedFiles.Reference("stories260K/greedy.json"), 0);
        var root = Json(StoriesFolder, "--prompt", reference.Text);
        Ints(root, "prompt_ids").Should().Equal(reference.Tokens, "the folder's tok512.bin is found");
        Ints(root, "generated_ids").Should().Equal(reference.Greedy);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Gpt2MiniTokensGiveItsGreedyContinuation(int index)
    {
        var reference = Greedy(SharedFiles.Models("gpt2-mini/greedy.json"), index);
        var root = Json(Gpt2Mini, "--tokens", Ids(reference.Tokens));
        Ints(root, "prompt_ids").Should().Equal(reference.Tokens);
        Ints(root, "generated_ids").Should().Equal(reference.Greedy);
        root.GetProperty("text").GetString().Should().Be(reference.GreedyText);

        Cli.Run("generate", Gpt2Mini, "--tokens", Ids(reference.Tokens)).ShouldSucceed().Out
            .Should().Be(reference.GreedyText + "\n", "with a tokenizer, --tokens prints text too");
    }

    [Fact]
    public void NoBosFeedsThePromptTextAsItIs()
    {
        var reference = Greedy(SharedFiles.Models("gpt2-mini/greedy.json"), 0);
        var root = Json(Gpt2Mini, "--prompt", reference.Text, "--no-bos");
        Ints(root, "prompt_ids").Should().Equal(reference.Tokens);
        Ints(root, "generated_ids").Should().Equal(reference.Greedy);

        Ints(Json(Gpt2Mini, "--prompt", reference.Text, "--max-tokens", "1"), "prompt_ids")
            .Should().Equal([4095, .. reference.Tokens], "BOS (<|endoftext|>) comes first by default");
    }

    [Fact]
    public void WithoutATokenizerTheNewIdsArePrinted()
    {
        var model = HookedTransformer.FromPretrainedNoProcessing(Cli.TinyModel);
        int[] expected = model.Generate([5, 6, 7], GenerationOptions.Greedy(10));

        var result = Cli.Run("generate", Cli.TinyModel, "--tokens", "5,6,7", "--max-tokens", "10").ShouldSucceed();
        result.Out.Should().Be(Ids(expected) + "\n", "comma-separated, ready for --tokens");

        var root = Json(Cli.TinyModel, "--tokens", "5,6,7", "--max-tokens", "10");
        Ints(root, "generated_ids").Should().Equal(expected);
        root.GetProperty("text").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void SeededSamplingRepeatsAndMatchesTheRuntime()
    {
        string[] args = ["generate", StoriesBin, "--prompt", "Once upon a time", "--temperature", "0.9", "--top-k", "40", "--top-p", "0.95", "--seed", "7", "--max-tokens", "30", "--json"];
        var first = Cli.Run(args).ShouldSucceed().Out;
        Cli.Run(args).ShouldSucceed().Out.Should().Be(first, "the same seed gives the same tokens");

        var model = Llama2cCheckpoint.Load(StoriesBin);
        var options = new GenerationOptions { MaxNewTokens = 30, Temperature = 0.9f, TopK = 40, TopP = 0.95f, Seed = 7, StopTokens = [2, 1] };
        int[] expected = model.Generate(model.ToTokens("Once upon a time").ToArray(), options);
        Ints(JsonDocument.Parse(first).RootElement, "generated_ids").Should().Equal(expected);
    }

    [Fact]
    public void Llama2cModelsStopAtBosAsRunCDoes()
    {
        // Sampling from the start of a story ends it with BOS (the separator of llama2.c's training stories) well within 400 tokens.
        var root = Json(StoriesBin, "--tokens", "1", "--temperature", "1", "--seed", "1", "--max-tokens", "400");
        int[] generated = Ints(root, "generated_ids");
        generated.Should().HaveCountLessThan(400);
        generated[^1].Should().Be(1);
        generated[..^1].Should().NotContain([1, 2]);
        root.GetProperty("finish_reason").GetString().Should().Be("stop");
        root.GetProperty("text").GetString().Should().NotContain("<s>", "special tokens are left out of the text");
    }

    [Fact]
    public void TextIsStreamedPieceByPiece()
    {
        var reference = Greedy(SharedFiles.Reference("stories260K/greedy.json"), 0);
        var stdout = new RecordingWriter();
        var stderr = new StringWriter();
        GlassboxCli.Run(["generate", StoriesBin, "--prompt", reference.Text], stdout, stderr).Should().Be(ExitCodes.Success, stderr.ToString());
        stdout.FlushedPieces.Should().HaveCountGreaterThan(20, "each token's text is flushed as it comes");
        string.Concat(stdout.FlushedPieces).Should().Be(reference.GreedyText + Environment.NewLine);
    }

    [Fact]
    public void CancellationExitsWith130()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Cli.Run(cancelled.Token, "generate", StoriesBin, "--tokens", "1").ShouldFailWith(ExitCodes.Cancelled).Should().Be("glassbox: cancelled");
    }

    [Theory]
    [InlineData("--prompt hi --tokens 1", "not both")]
    [InlineData("", "--prompt")]
    [InlineData("--tokens 1,600", "600")]
    [InlineData("--tokens 1,2;3,4", "one sequence")]
    [InlineData("--tokens 1 --no-bos", "--no-bos applies to --prompt")]
    [InlineData("--tokens 1 --temperature -1", "--temperature must be a number of at least 0")]
    [InlineData("--tokens 1 --temperature abc", "--temperature must be a number")]
    [InlineData("--tokens 1 --temperature 1 --top-p 0", "--top-p must be a number in (0, 1]")]
    [InlineData("--tokens 1 --temperature 1 --top-p 1.5", "--top-p must be a number in (0, 1]")]
    [InlineData("--tokens 1 --temperature 1 --top-k 0", "--top-k must be an integer of at least 1")]
    [InlineData("--tokens 1 --top-k 5", "--temperature above 0")]
    [InlineData("--tokens 1 --seed 5", "--temperature above 0")]
    [InlineData("--tokens 1 --max-tokens 0", "--max-tokens must be an integer of at least 1")]
    [InlineData("--prompt \"\" --no-bos", "no tokens")]
    public void BadArgumentsAreUsageErrors(string args, string expected)
    {
        var result = Cli.Run(["generate", StoriesBin, .. SplitArgs(args)]);
        result.ShouldFailWith(ExitCodes.Usage).Should().Contain(expected);
    }

    [Fact]
    public void PromptTextNeedsATokenizer()
    {
        var line = Cli.Run("generate", Cli.TinyModel, "--prompt", "hello").ShouldFailWith(ExitCodes.Usage);
        line.Should().Contain("'gpt2-tiny'").And.Contain("no tokenizer").And.Contain("--tokens");
    }

    [Fact]
    public void TooLongForTheContext()
    {
        Cli.Run("generate", Cli.TinyModel, "--tokens", "1,2", "--max-tokens", "31").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("context").And.Contain("32");
        Cli.Run("generate", Cli.TinyModel, "--tokens", "1,2", "--max-tokens", "30").ShouldSucceed();
    }

    [Fact]
    public void ATokenizerFileIsNotAModel()
    {
        var line = Cli.Run("generate", SharedFiles.Reference("stories260K/tok512.bin"), "--tokens", "1").ShouldFailWith(ExitCodes.Failure);
        line.Should().Contain("tok512.bin").And.Contain("tokenizer").And.Contain("tokenize");
    }

    [Fact]
    public void HelpDescribesTheOptions()
    {
        var help = Cli.Run("generate", "--help").ShouldSucceed().Out;
        foreach (var option in new[] { "--prompt", "--tokens", "--max-tokens", "--temperature", "--top-k", "--top-p", "--seed", "--no-bos", "--json" })
            help.Should().Contain(option);
    }

    /// <summary>Splits on spaces, keeping "" as an empty argument.</summary>
    static string[] SplitArgs(string args)
        => args.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a => a == "\"\"" ? "" : a).ToArray();

    /// <summary>Records what was written between flushes.</summary>
    sealed class RecordingWriter : StringWriter
    {
        readonly StringBuilder _pending = new();

        public List<string> FlushedPieces { get; } = [];

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => _pending.Append(value);

        public override void Write(string? value) => _pending.Append(value);

        public override void WriteLine() => _pending.Append(Environment.NewLine);

        public override void Flush()
        {
            if (_pending.Length == 0) return;
            FlushedPieces.Add(_pending.ToString());
            _pending.Clear();
        }
    }
}

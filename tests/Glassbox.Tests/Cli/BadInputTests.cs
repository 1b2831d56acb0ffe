using Glassbox.Cli;

namespace Glassbox.Tests.Cli;

/// <summary>Every bad argument or file gives one <c>glassbox:</c> line on stderr, the right exit code, no stack trace and no output file.</summary>
public sealed class BadInputTests : IDisposable
{
    readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    string Out => _folder.File("out.safetensors");

    CliResult Cache(params string[] options) => Cli.Run(["cache", Cli.TinyModel, .. options]);

    void NoFileWritten() => _folder.Entries().Should().BeEmpty("a failed command leaves nothing behind");

    [Fact]
    public void MissingModelFolder()
    {
        string missing = _folder.File("no-such-model");
        Cli.Run("inspect", missing).ShouldFailWith(ExitCodes.Failure).Should().Contain("does not exist").And.Contain("no-such-model");
        Cli.Run("cache", missing, "--tokens", "1", "--out", Out).ShouldFailWith(ExitCodes.Failure).Should().Contain("no-such-model");
        NoFileWritten();
    }

    [Fact]
    public void FolderWithoutConfig()
    {
        var line = Cli.Run("inspect", _folder.Path).ShouldFailWith(ExitCodes.Failure);
        line.Should().Contain("config.json");
    }

    [Fact]
    public void CorruptWeights()
    {
        string model = Path.Combine(_folder.Path, "broken");
        Directory.CreateDirectory(model);
        File.Copy(Path.Combine(Cli.TinyModel, "config.json"), Path.Combine(model, "config.json"));
        File.WriteAllBytes(Path.Combine(model, "model.safetensors"), [1, 2, 3]);

        Cli.Run("inspect", model).ShouldFailWith(ExitCodes.Failure).Should().Contain("model.safetensors");
        Cli.Run("cache", model, "--tokens", "1", "--out", Out).ShouldFailWith(ExitCodes.Failure);
        _folder.Entries().Should().Equal("broken");
    }

    [Fact]
    public void UnknownPresetListsThePresets()
    {
        foreach (var command in new[] { "inspect", "bench" })
        {
            var line = Cli.Run(command, "--preset", "gpt5").ShouldFailWith(ExitCodes.Usage);
            line.Should().Contain("'gpt5'").And.Contain("gpt2-small").And.Contain("gpt2-medium").And.Contain("gpt2-tiny");
        }
    }

    [Fact]
    public void FolderAndPresetTogetherOrNeither()
    {
        Cli.Run("inspect", Cli.TinyModel, "--preset", "gpt2-small").ShouldFailWith(ExitCodes.Usage).Should().Contain("not both");
        Cli.Run("inspect").ShouldFailWith(ExitCodes.Usage).Should().Contain("--preset");
    }

    [Fact]
    public void TokenOutOfRange()
    {
        var line = Cache("--tokens", "1,2,3;4,97,6", "--out", Out).ShouldFailWith(ExitCodes.Usage);
        line.Should().Contain("97").And.Contain("sequence 1, position 1").And.Contain("0..96");
        NoFileWritten();
    }

    [Fact]
    public void TooManyTokensForTheContext()
    {
        string tokens = string.Join(",", Enumerable.Repeat(1, 33));
        Cache("--tokens", tokens, "--out", Out).ShouldFailWith(ExitCodes.Usage).Should().Contain("context").And.Contain("32");
        NoFileWritten();
    }

    [Fact]
    public void TokensOrPromptExactlyOnce()
    {
        Cache("--out", Out).ShouldFailWith(ExitCodes.Usage).Should().Contain("--tokens").And.Contain("--prompt");
        Cache("--tokens", "1", "--prompt", "hi", "--out", Out).ShouldFailWith(ExitCodes.Usage).Should().Contain("not both");
        Cache("--tokens", "1", "--no-bos", "--out", Out).ShouldFailWith(ExitCodes.Usage).Should().Contain("--no-bos applies to --prompt");
        NoFileWritten();
    }

    [Fact]
    public void PromptWithoutATokenizer()
    {
        var line = Cache("--prompt", "hello", "--out", Out).ShouldFailWith(ExitCodes.Usage);
        line.Should().Contain("'gpt2-tiny'").And.Contain("no tokenizer").And.Contain("--tokens");
        NoFileWritten();
    }

    [Fact]
    public void PromptTooLongForTheContext()
    {
        string text = string.Join(" ", Enumerable.Repeat("the", 300));
        Cli.Run("cache", SharedFiles.Models("gpt2-mini"), "--prompt", text, "--out", Out).ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("--prompt").And.Contain("context").And.Contain("256");
        NoFileWritten();
    }

    [Fact]
    public void BrokenLlama2cCheckpoints()
    {
        string truncated = _folder.File("truncated.bin");
        var bytes = File.ReadAllBytes(SharedFiles.Reference("stories260K/stories260K.bin"));
        File.WriteAllBytes(truncated, bytes[..(bytes.Length - 4)]);
        string tiny = _folder.File("tiny.bin");
        File.WriteAllBytes(tiny, [1, 2, 3]);
        string notBin = _folder.File("model.txt");
        File.WriteAllText(notBin, "x");
        string output = Path.Combine(_folder.Path, "out.safetensors");

        foreach (var command in new[] { "inspect", "generate", "cache" })
        {
            string[] extra = command switch { "generate" => ["--tokens", "1"], "cache" => ["--tokens", "1", "--out", output], _ => [] };
            Cli.Run([command, truncated, .. extra]).ShouldFailWith(ExitCodes.Failure).Should().Contain("truncated.bin").And.Contain("1,056,540");
            Cli.Run([command, tiny, .. extra]).ShouldFailWith(ExitCodes.Failure).Should().Contain("tiny.bin").And.Contain("28-byte header");
            Cli.Run([command, notBin, .. extra]).ShouldFailWith(ExitCodes.Usage).Should().Contain("model.txt").And.Contain(".bin");
        }
        _folder.Entries().Should().Equal("model.txt", "tiny.bin", "truncated.bin");
    }

    [Fact]
    public void UnequalSequenceLengths()
    {
        var line = Cache("--tokens", "1,2,3;4,5", "--out", Out).ShouldFailWith(ExitCodes.Usage);
        line.Should().Contain("sequence 1 has 2 tokens").And.Contain("sequence 0 has 3");
        NoFileWritten();
    }

    [Fact]
    public void MalformedToken()
    {
        Cache("--tokens", "1,two,3", "--out", Out).ShouldFailWith(ExitCodes.Usage).Should().Contain("'two'").And.Contain("position 1");
        NoFileWritten();
    }

    [Fact]
    public void UnknownHookNameSuggestsTheNearest()
    {
        var line = Cache("--tokens", "1,2", "--names", "blocks.0.attn.hook_patern", "--out", Out).ShouldFailWith(ExitCodes.Usage);
        line.Should().Contain("'blocks.0.attn.hook_patern'").And.Contain("Did you mean").And.Contain("'blocks.0.attn.hook_pattern'");
        NoFileWritten();
    }

    [Fact]
    public void GlobMatchingNothingAndLayerOutOfRange()
    {
        Cache("--tokens", "1", "--names", "blocks.*.attn.hook_nothing*", "--out", Out).ShouldFailWith(ExitCodes.Usage).Should().Contain("matches no hook point");
        Cache("--tokens", "1", "--names", "hook_embed,blocks.2.hook_resid_post", "--out", Out).ShouldFailWith(ExitCodes.Usage).Should().Contain("layers 0..1");
        Cache("--tokens", "1", "--names", "hook_embed,", "--out", Out).ShouldFailWith(ExitCodes.Usage).Should().Contain("empty");
        NoFileWritten();
    }

    [Fact]
    public void UnwritableOutput()
    {
        Cache("--tokens", "1", "--out", Path.Combine(_folder.Path, "missing-folder", "x.safetensors"))
            .ShouldFailWith(ExitCodes.Failure).Should().Contain("missing-folder");
        Cache("--tokens", "1", "--out", _folder.Path).ShouldFailWith(ExitCodes.Usage).Should().Contain("is a folder");
        string file = _folder.File("file");
        File.WriteAllText(file, "x");
        Cache("--tokens", "1", "--out", Path.Combine(file, "x.safetensors")).ShouldFailWith(ExitCodes.Failure).Should().Contain("is a file");
        _folder.Entries().Should().Equal("file");
    }

    [Theory]
    [InlineData("inspect --bogus", "unknown option '--bogus'")]
    [InlineData("inspect --preset gpt2-tiny --frobnicate", "--frobnicate")]
    [InlineData("inspect --preset gpt2-tiny --seq abc", "--seq must be an integer")]
    [InlineData("inspect --preset gpt2-tiny --seq 0", "at least 1")]
    [InlineData("inspect --preset gpt2-tiny --seq 33", "exceeds the context")]
    [InlineData("bench --preset gpt2-tiny --runs 0", "--runs must be an integer of at least 1")]
    [InlineData("bench --preset gpt2-tiny --seq 4 --cache some", "none, all or everything")]
    [InlineData("cache", "--out")]
    [InlineData("tokenize", "--text")]
    [InlineData("generate", "Required argument missing")]
    [InlineData("frobnicate", "frobnicate")]
    [InlineData("", "command")]
    public void UsageErrors(string args, string expected)
    {
        var result = Cli.Run(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        result.ShouldFailWith(ExitCodes.Usage).Should().Contain(expected);
    }
}

using Glassbox.Cli;

namespace Glassbox.Tests.Cli;

/// <summary>The analysis commands' bad inputs: one <c>glassbox:</c> line, the right exit code, checked before any weight is read.</summary>
public class AnalysisBadInputTests
{
    const string Prompt = "the cat sat on a red mat and the cat";

    public static TheoryData<string[], string> UsageErrors => new()
    {
        { ["scores", "demo", "--kind", "induktion"], "--kind must be induction, prev-token or duplicate (got 'induktion')" },
        { ["scores", "demo"], "--kind induction, prev-token or duplicate" },
        { ["scores", "demo", "--kind", "induction", "--batch", "0"], "--batch must be an integer of at least 1" },
        { ["patch", "demo", "--clean", Prompt, "--corrupted", Prompt, "--answer", "sat", "--wrong", "mat", "--kind", "everything"], "--kind must be one of" },
        { ["attribution", "demo", "--prompt", Prompt, "--answer", "sat mat"], "--answer must be a single token, but \"sat mat\" is 2 tokens: \"sat\", \"mat\"" },
        { ["patch", "demo", "--clean", Prompt, "--corrupted", "the cat", "--answer", "sat", "--wrong", "mat"], "--clean is 10 tokens but --corrupted is 2" },
        { ["ablate", "demo", "--prompt", Prompt, "--heads", "1:1"], "--heads: '1:1' is not a head; write heads as layer.head (1.1) or L1H1" },
        { ["ablate", "demo", "--prompt", Prompt, "--heads", "L1H"], "--heads: 'L1H' is not a head" },
        { ["ablate", "demo", "--prompt", Prompt, "--heads", "1.1,,0.0"], "--heads has an empty entry" },
        { ["ablate", "demo", "--prompt", Prompt, "--heads", "2.0"], "--heads: layer 2 (in '2.0') is outside 0..1; 'induction-demo' has 2 layers" },
        { ["ablate", "demo", "--prompt", Prompt, "--heads", "1.2"], "--heads: head 2 (in '1.2') is outside 0..1" },
        { ["ablate", "demo", "--prompt", Prompt, "--layers", "0,5"], "--layers: layer 5 (in '5') is outside 0..1" },
        { ["ablate", "demo", "--prompt", Prompt, "--layers", "first"], "--layers: 'first' is not a layer" },
        { ["ablate", "demo", "--prompt", Prompt, "--neurons", "0:1"], "'induction-demo' is attention-only; it has no MLP neurons" },
        { ["ablate", "demo", "--prompt", Prompt, "--heads", "all", "--mode", "random"], "--mode must be zero, mean or resample (got 'random')" },
        { ["ablate", "demo", "--prompt", "the zebra", "--heads", "all"], "--prompt: 'zebra' is not a word of the demo model" },
        { ["attribution", "demo", "--prompt", Prompt, "--answer", "sat", "--bogus"], "--bogus" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public void UsageErrorsAreOneLineWithExitCode2(string[] args, string expected)
        => Cli.Run(args).ShouldFailWith(ExitCodes.Usage).Should().Contain(expected);

    [Fact]
    public void Gpt2MiniNeuronsAndLayersAreCheckedAgainstItsConfig()
    {
        string folder = SharedFiles.Models("gpt2-mini");
        Cli.Run("ablate", folder, "--prompt", "hello there", "--neurons", "0:512").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("neuron 512 (in '0:512') is outside 0..511");
        Cli.Run("ablate", folder, "--prompt", "hello there", "--neurons", "5").ShouldFailWith(ExitCodes.Usage).Should().Contain("'5' has no layer");
        Cli.Run("ablate", folder, "--prompt", "hello there", "--neurons", "4:all").ShouldFailWith(ExitCodes.Usage).Should().Contain("layer 4");
        Cli.Run("ablate", folder, "--prompt", "hello there", "--heads", "0.4").ShouldFailWith(ExitCodes.Usage).Should().Contain("4 heads per layer");
    }

    [Fact]
    public void MissingModelsAndModelsWithoutTokenizers()
    {
        Cli.Run("scores", "no-such-model", "--kind", "induction").ShouldFailWith(ExitCodes.Failure).Should().Contain("does not exist");
        Cli.Run("attribution", Cli.TinyModel, "--prompt", "hi", "--answer", "x").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("--prompt needs a tokenizer, and model 'gpt2-tiny' has none");
    }

    [Theory]
    [InlineData("scores", "--kind", "induction")]
    [InlineData("attribution", "--prompt", Prompt, "--answer", "sat")]
    [InlineData("ablate", "--prompt", Prompt, "--heads", "all")]
    [InlineData("patch", "--clean", Prompt, "--corrupted", Prompt, "--answer", "sat", "--wrong", "mat")]
    public void CancellationExitsWith130(string command, params string[] options)
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Cli.Run(cancelled.Token, [command, "demo", .. options]).ShouldFailWith(ExitCodes.Cancelled).Should().Be("glassbox: cancelled");
    }

    [Fact]
    public void ProgressReportsStopASweepOnceCancelled()
    {
        using var cancellation = new CancellationTokenSource();
        var context = new CliContext(TextWriter.Null, TextWriter.Null, cancellation.Token);
        context.ShowProgress.Should().BeFalse("captured writers never get progress bars");
        int reports = 0;
        var act = () => ProgressDisplay.Run(context, display =>
        {
            var task = display.Task("sweep");
            for (int pass = 1; pass <= 10; pass++)
            {
                if (pass == 4) cancellation.Cancel();
                task.Report(pass / 10.0);
                reports++;
            }
            return 0;
        });
        act.Should().Throw<OperationCanceledException>();
        reports.Should().Be(3, "the report after the cancellation throws");
    }

    [Fact]
    public void AnalysisRunsWriteNothingToStderr()
    {
        var result = Cli.Run("ablate", "demo", "--prompt", Prompt, "--heads", "all");
        result.ShouldSucceed();
        result.Error.Should().BeEmpty("progress bars only go to a terminal");
    }
}

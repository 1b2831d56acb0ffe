using Glassbox.Analysis;
using Glassbox.Cli;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Cli;

public class AblateCommandTests
{
    /// <summary>Repeated words: the second half is predictable only through the induction circuit.</summary>
    const string Repeated = "the cat sat on a red mat and the cat sat on a red mat";

    static IntTensor RepeatedTokens => IntTensor.FromSequence(InductionDemoModel.Encode(Repeated));

    static float Loss(HookedTransformer model, IntTensor tokens, params HookBinding[] hooks)
    {
        using var logits = model.Run(tokens, new ForwardOptions { Hooks = hooks });
        return Metrics.Loss(logits, tokens);
    }

    [Fact]
    public void AllHeadsOfTheDemoShowTheInductionCircuitRaisingTheLoss()
    {
        var root = JsonValues.Run("ablate", "demo", "--prompt", Repeated, "--heads", "all");
        var model = InductionDemoModel.Create();
        JsonValues.ShouldEqual(root.GetProperty("heads"), Importance.Heads(model, RepeatedTokens));
        root.GetProperty("clean_loss").GetSingle().Should().Be(Loss(model, RepeatedTokens));
        root.GetProperty("mode").GetString().Should().Be("zero");
        var heads = root.GetProperty("heads");
        heads[1][1].GetSingle().Should().BeGreaterThan(0.5f, "without the induction head the repeated half is not predicted");
        heads[0][0].GetSingle().Should().BeGreaterThan(0.5f, "the induction head needs the previous-token head");
        heads[0][1].GetSingle().Should().BeApproximately(0f, 1e-6f);
        heads[1][0].GetSingle().Should().BeApproximately(0f, 1e-6f);
        root.TryGetProperty("ablations", out _).Should().BeFalse("nothing was listed");
    }

    [Fact]
    public void TheTextTableHasLayersAsRows()
    {
        var lines = Cli.Run("ablate", "demo", "--prompt", Repeated, "--heads", "all").ShouldSucceed().Out.Split('\n');
        lines[0].Should().StartWith("zero ablation on induction-demo, 1 sequence of 15 tokens: clean loss ");
        lines[2].Should().Be("loss change with each head ablated:");
        lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().Equal("H0", "H1");
        lines[4].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0].Should().Be("L0");
        lines[4].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1].Should().StartWith("+");
        lines[6].Should().MatchRegex(@"^largest: L0H0 \+\d\.\d{4}, L1H1 \+\d\.\d{4}, ");
    }

    [Fact]
    public void ListedComponentsAreAblatedEachAloneAndTogether()
    {
        var root = JsonValues.Run("ablate", "demo", "--tokens", string.Join(",", RepeatedTokens.ToArray()), "--heads", "1.1,L0H0", "--layers", "0");
        var model = InductionDemoModel.Create();
        var tokens = RepeatedTokens;
        float clean = Loss(model, tokens);
        var expected = new (string Name, float Loss)[]
        {
            ("L1H1", Loss(model, tokens, Ablation.Heads(1, [1]))),
            ("L0H0", Loss(model, tokens, Ablation.Heads(0, [0]))),
            ("block 0", Loss(model, tokens, Ablation.SkipLayer(0))),
            ("together", Loss(model, tokens, [Ablation.Heads(1, [1]), Ablation.Heads(0, [0]), .. Ablation.SkipLayer(0)])),
        };
        var ablations = root.GetProperty("ablations").EnumerateArray().ToList();
        ablations.Select(a => a.GetProperty("name").GetString()).Should().Equal(expected.Select(e => e.Name));
        for (int i = 0; i < expected.Length; i++)
        {
            ablations[i].GetProperty("loss").GetSingle().Should().Be(expected[i].Loss, expected[i].Name);
            ablations[i].GetProperty("delta").GetSingle().Should().Be(expected[i].Loss - clean);
        }
        ablations[0].GetProperty("delta").GetSingle().Should().BeGreaterThan(0.5f);
    }

    [Fact]
    public void MeanAblationUsesTheMeansOfTheInputOrTheReference()
    {
        var model = InductionDemoModel.Create();
        var tokens = RepeatedTokens;
        var z = HookFilter.Glob("blocks.*.attn.hook_z");

        var ofInput = JsonValues.Run("ablate", "demo", "--prompt", Repeated, "--heads", "all", "--mode", "mean");
        ofInput.GetProperty("reference").GetString().Should().Be("input");
        JsonValues.ShouldEqual(ofInput.GetProperty("heads"),
            Importance.Heads(model, tokens, AblationMode.Mean, ActivationMeans.Compute(model, [tokens], z)));

        const string reference = "the dog ran to the big red ball";
        var given = JsonValues.Run("ablate", "demo", "--prompt", Repeated, "--heads", "all", "--mode", "mean", "--reference", reference);
        given.GetProperty("reference").GetString().Should().Be("given");
        var referenceTokens = IntTensor.FromSequence(InductionDemoModel.Encode(reference));
        JsonValues.ShouldEqual(given.GetProperty("heads"),
            Importance.Heads(model, tokens, AblationMode.Mean, ActivationMeans.Compute(model, [referenceTokens], z)));
    }

    [Fact]
    public void ResampleAblationCopiesFromTheReferenceRun()
    {
        const string reference = "the dog sat on a red mat and the cat sat on a big ball";
        var root = JsonValues.Run("ablate", "demo", "--prompt", Repeated, "--heads", "all", "--mode", "resample", "--reference", reference);
        var model = InductionDemoModel.Create();
        var (_, source) = model.RunWithCache(IntTensor.FromSequence(InductionDemoModel.Encode(reference)));
        using (source)
            JsonValues.ShouldEqual(root.GetProperty("heads"), Importance.Heads(model, RepeatedTokens, AblationMode.Resample, source: source));

        Cli.Run("ablate", "demo", "--prompt", Repeated, "--heads", "all", "--mode", "resample").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("--mode resample needs --reference");
        Cli.Run("ablate", "demo", "--prompt", Repeated, "--heads", "all", "--mode", "resample", "--reference", "the dog").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("--reference is 2 tokens but --prompt is 15 tokens");
        Cli.Run("ablate", "demo", "--prompt", Repeated, "--heads", "all", "--reference", "the dog").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("--reference applies to --mode mean or resample");
    }

    [Fact]
    public void Gpt2MiniLayersAndNeurons()
    {
        string folder = SharedFiles.Models("gpt2-mini");
        const string text = "In the beginning God created the heaven and the earth";
        var root = JsonValues.Run("ablate", folder, "--prompt", text, "--layers", "all", "--neurons", "0:all,1:5,7");
        var model = HookedTransformer.FromPretrained(folder);
        var tokens = model.ToTokens(text);
        JsonValues.ShouldEqual(root.GetProperty("layers"), Importance.Layers(model, tokens));
        var neurons = root.GetProperty("neurons");
        neurons.GetArrayLength().Should().Be(1);
        neurons[0].GetProperty("layer").GetInt32().Should().Be(0);
        JsonValues.ShouldEqual(neurons[0].GetProperty("deltas"), Importance.Neurons(model, tokens, 0));
        var ablations = root.GetProperty("ablations").EnumerateArray().ToList();
        ablations.Select(a => a.GetProperty("name").GetString()).Should().Equal("L1N5", "L1N7", "together");
        ablations[2].GetProperty("loss").GetSingle().Should().Be(Loss(model, tokens, Ablation.Neurons(1, [5]), Ablation.Neurons(1, [7])));
    }

    [Fact]
    public void TheInputNeedsTwoTokensAndSomethingToAblate()
    {
        Cli.Run("ablate", "demo", "--prompt", "cat", "--heads", "all").ShouldFailWith(ExitCodes.Usage).Should().Contain("at least two");
        Cli.Run("ablate", "demo", "--prompt", Repeated).ShouldFailWith(ExitCodes.Usage).Should().Contain("--heads").And.Contain("--neurons").And.Contain("--layers");
        Cli.Run("ablate", "demo", "--heads", "all").ShouldFailWith(ExitCodes.Usage).Should().Contain("--prompt").And.Contain("--tokens");
        Cli.Run("ablate", "demo", "--tokens", "1,2", "--prompt", "the cat", "--heads", "all").ShouldFailWith(ExitCodes.Usage).Should().Contain("not both");
        Cli.Run("ablate", "demo", "--tokens", "1,64", "--heads", "all").ShouldFailWith(ExitCodes.Usage).Should().Contain("outside the vocabulary");
        Cli.Run("ablate", "demo", "--tokens", "1,2", "--layers", "all", "--mode", "mean").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("--mode mean applies to --heads and --neurons");
    }
}

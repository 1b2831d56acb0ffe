using System.Text.Json;
using Glassbox.Analysis;
using Glassbox.Cli;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Cli;

public class AttributionCommandTests
{
    const string Prompt = "the cat sat on a red mat and the cat";

    /// <summary>The API's direct logit attribution: labels and values per component.</summary>
    static (IReadOnlyList<string> Labels, float[] Values, float Logit) Expected(HookedTransformer model, IntTensor tokens, int answer, int? wrong)
    {
        var (logits, cache) = model.RunWithCache(tokens);
        using (cache)
        using (logits)
        {
            var stack = cache.GetFullResidDecomposition(position: -1);
            var attrs = cache.LogitAttrs(stack, [answer], wrong is null ? null : [wrong.Value], position: -1);
            int last = tokens.Dim(1) - 1;
            float logit = logits[0, last, answer] - (wrong is null ? 0f : logits[0, last, wrong.Value]);
            return (stack.Labels, Enumerable.Range(0, stack.Count).Select(c => attrs[c, 0]).ToArray(), logit);
        }
    }

    static void ShouldMatch(JsonElement root, (IReadOnlyList<string> Labels, float[] Values, float Logit) expected)
    {
        var components = root.GetProperty("components").EnumerateArray().ToList();
        components.Select(c => c.GetProperty("name").GetString()).Should().Equal(expected.Labels);
        for (int i = 0; i < components.Count; i++)
            components[i].GetProperty("value").GetSingle().Should().BeApproximately(expected.Values[i], 1e-5f, expected.Labels[i]);
        float logit = root.GetProperty("logit").GetSingle();
        logit.Should().BeApproximately(expected.Logit, 1e-5f);
        float sum = root.GetProperty("components_sum").GetSingle(), constant = root.GetProperty("constant").GetSingle();
        sum.Should().BeApproximately(components.Sum(c => c.GetProperty("value").GetSingle()), 1e-4f);
        (sum + constant).Should().BeApproximately(logit, 1e-3f * Math.Max(1, Math.Abs(logit)), "the components and the constant terms add up to the logit");
    }

    [Fact]
    public void OnTheDemoTheInductionHeadPredictsTheAnswer()
    {
        var root = JsonValues.Run("attribution", "demo", "--prompt", Prompt, "--answer", "sat");
        var model = InductionDemoModel.Create();
        int sat = InductionDemoModel.Encode("sat")[0];
        ShouldMatch(root, Expected(model, IntTensor.FromSequence(InductionDemoModel.Encode(Prompt)), sat, null));
        root.GetProperty("position").GetInt32().Should().Be(9);
        root.GetProperty("answer").GetProperty("id").GetInt32().Should().Be(sat);
        root.GetProperty("answer").GetProperty("piece").GetString().Should().Be("sat");
        JsonValues.Strings(root.GetProperty("pieces")).Should().Equal(Prompt.Split(' '));

        var best = root.GetProperty("components").EnumerateArray().MaxBy(c => c.GetProperty("value").GetSingle());
        best.GetProperty("name").GetString().Should().Be("L1H1");
        best.GetProperty("value").GetSingle().Should().BeGreaterThan(9f);
        var layers = root.GetProperty("layers").EnumerateArray().ToList();
        layers.Should().HaveCount(2);
        layers[1].GetProperty("attn").GetSingle().Should().BeApproximately(best.GetProperty("value").GetSingle(), 1e-4f);
        layers[1].GetProperty("mlp").ValueKind.Should().Be(JsonValueKind.Null, "the demo model is attention-only");
    }

    [Fact]
    public void TheTextPutsL1H1OnTopAndShowsTheCheck()
    {
        var lines = Cli.Run("attribution", "demo", "--prompt", Prompt, "--answer", "sat", "--wrong", "mat").ShouldSucceed().Out.Split('\n');
        lines[0].Should().Be("direct logit attribution on induction-demo: logit difference \"sat\" − \"mat\" at position 9 (\"cat\")");
        lines[1].Should().MatchRegex(@"^logit difference (9\.99\d|10\.000) = components (9\.99\d|10\.000) \+ constant terms 0\.000 \(difference ");
        lines[3].Should().StartWith("component");
        lines[4].Should().StartWith("L1H1").And.Contain("+9.99");
        lines.Should().Contain(l => l.StartsWith("L1 ") && l.Contains("+9.99"), "the per-layer table");
    }

    [Fact]
    public void TopLimitsTheListedComponents()
    {
        var output = Cli.Run("attribution", "demo", "--prompt", Prompt, "--answer", "sat", "--top", "2").ShouldSucceed().Out;
        output.Should().Contain("(5 more with |attribution| ≤ 0.000; --top 0 lists all)");
    }

    [Fact]
    public void Gpt2MiniAttributionAddsUpToTheLogitDifference()
    {
        string folder = SharedFiles.Models("gpt2-mini");
        const string text = "In the beginning God created the heaven and the";
        var root = JsonValues.Run("attribution", folder, "--prompt", text, "--answer", " earth", "--wrong", " heaven");
        var model = HookedTransformer.FromPretrained(folder);
        var tokens = model.ToTokens(text);
        JsonValues.Ints(root.GetProperty("tokens")).Should().Equal(tokens.ToArray(), "BOS, then the text, as to_tokens gives it");
        int earth = model.ToTokens(" earth", prependBos: false).ToArray().Single(), heaven = model.ToTokens(" heaven", prependBos: false).ToArray().Single();
        root.GetProperty("wrong").GetProperty("id").GetInt32().Should().Be(heaven);
        ShouldMatch(root, Expected(model, tokens, earth, heaven));
        root.GetProperty("components").GetArrayLength().Should().Be(2 + 4 * 4 + 4 + 1, "embed, pos_embed, 16 heads, 4 MLPs, bias");
        root.GetProperty("constant").GetSingle().Should().NotBe(0f, "gpt2-mini's processed unembedding has a bias (the folded final LayerNorm bias)");
    }

    [Fact]
    public void MultiTokenAnswersNameTheirPieces()
    {
        Cli.Run("attribution", "demo", "--prompt", Prompt, "--answer", "sat on").ShouldFailWith(ExitCodes.Usage)
            .Should().Be("glassbox: --answer must be a single token, but \"sat on\" is 2 tokens: \"sat\", \"on\".");
        Cli.Run("attribution", SharedFiles.Models("gpt2-mini"), "--prompt", "hello", "--answer", "earth").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("\"earth\" is 2 tokens: \"ear\", \"th\"").And.Contain("with a leading space, \" earth\" is one token");
        Cli.Run("attribution", "demo", "--prompt", Prompt, "--answer", "sat", "--wrong", "zebra").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("--wrong: 'zebra' is not a word of the demo model");
    }

    [Fact]
    public void BadPositionsAndMissingArguments()
    {
        Cli.Run("attribution", "demo", "--prompt", Prompt, "--answer", "sat", "--position", "10").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("--position 10 is outside the 10 tokens");
        Cli.Run("attribution", "demo", "--prompt", Prompt, "--answer", "sat", "--position", "-11").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("-10..-1");
        Cli.Run("attribution", "demo", "--prompt", Prompt).ShouldFailWith(ExitCodes.Usage).Should().Contain("--answer");
        Cli.Run("attribution", "demo", "--answer", "sat").ShouldFailWith(ExitCodes.Usage).Should().Contain("--prompt");
        Cli.Run("attribution", "demo", "--prompt", Prompt, "--answer", "sat", "--wrong", "sat").ShouldFailWith(ExitCodes.Usage)
            .Should().Contain("same token");
    }

    [Fact]
    public void AnEarlierPositionIsAttributedThere()
    {
        var root = JsonValues.Run("attribution", "demo", "--prompt", Prompt, "--answer", "on", "--position", "-8");
        root.GetProperty("position").GetInt32().Should().Be(2);
        root.GetProperty("logit").GetSingle().Should().BeApproximately(0f, 1e-4f, "nothing repeats before position 2");
    }
}

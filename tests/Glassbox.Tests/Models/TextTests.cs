using System.Text.Json;
using Glassbox.Loading;
using Glassbox.Models;

namespace Glassbox.Tests.Models;

/// <summary>Models load their tokenizer and speak text: the documented prompts encode to their ids and continue as recorded.</summary>
public class TextTests
{
    static JsonElement Prompt(string greedyJson, int index)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(greedyJson));
        return doc.RootElement.GetProperty("prompts")[index].Clone();
    }

    static int[] Ints(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetInt32()).ToArray();

    [Fact]
    public void Gpt2MiniEncodesItsPromptsAndGeneratesTheRecordedText()
    {
        var model = HookedTransformer.FromPretrained(SharedFiles.Models("gpt2-mini"));
        model.Tokenizer.Should().NotBeNull("vocab.json and merges.txt are in the folder");
        var prompt = Prompt(SharedFiles.Models("gpt2-mini/greedy.json"), 0);
        string text = prompt.GetProperty("text").GetString()!;
        model.ToTokens(text, prependBos: false).ToArray().Should().Equal(Ints(prompt, "tokens"));
        model.ToTokens(text).ToArray()[0].Should().Be(4095, "<|endoftext|> is GPT-2's BOS");
        model.ToText(Ints(prompt, "tokens")).Should().Be(text);
        model.ToStrTokens(text, prependBos: false).Should().HaveCount(Ints(prompt, "tokens").Length).And.StartWith("In");

        var pieces = new List<string>();
        string continuation = model.Generate(text, GenerationOptions.Greedy(40), pieces.Add, prependBos: false);
        continuation.Should().Be(prompt.GetProperty("greedy_text").GetString());
        string.Concat(pieces).Should().Be(continuation, "streamed pieces add up to the text");
    }

    [Fact]
    public void Stories260KFindsItsLlama2cTokenizer()
    {
        var model = Llama2cCheckpoint.Load(SharedFiles.Reference("stories260K/stories260K.bin"));
        var prompt = Prompt(SharedFiles.Reference("stories260K/greedy.json"), 1);
        string text = prompt.GetProperty("text").GetString()!;
        model.ToTokens(text).ToArray().Should().Equal(Ints(prompt, "tokens"), "BOS then llama2.c encode");
        model.Generate(text, GenerationOptions.Greedy(40)).Should().Be(prompt.GetProperty("greedy_text").GetString());
    }

    [Fact]
    public void BatchesOfTextsAreLeftPadded()
    {
        var model = HookedTransformer.FromPretrained(SharedFiles.Models("gpt2-mini"));
        var (tokens, mask) = model.ToTokens(["In the beginning", "God"]);
        tokens.Dim(0).Should().Be(2);
        mask.Row(1).ToArray().Should().StartWith([0]).And.EndWith([1]);
        mask.Row(1).ToArray().Sum().Should().Be(model.ToTokens("God").Dim(1));
    }

    [Fact]
    public void AModelWithoutATokenizerSaysSo()
    {
        var model = TinyModel.Create();
        var act = () => model.ToTokens("hello");
        act.Should().Throw<InvalidOperationException>().WithMessage("*tiny-random*has no tokenizer*");
    }
}

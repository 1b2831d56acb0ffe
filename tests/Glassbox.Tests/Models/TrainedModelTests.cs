using System.Text.Json;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Models;

/// <summary>Real trained GPT-2-architecture models reproduce their documented greedy continuations token for token.</summary>
public class TrainedModelTests
{
    public static TheoryData<string> TrainedModels => new() { "gpt2-mini", "slm4096" };

    [Theory]
    [MemberData(nameof(TrainedModels))]
    public void GreedyContinuationsMatch(string name)
    {
        var folder = SharedFiles.Models(name);
        var model = HookedTransformer.FromPretrainedNoProcessing(folder);
        foreach (var (prompt, expected) in Prompts(folder))
            Greedy(model, prompt, expected.Length).Should().Equal(expected, $"{name} continues its prompt greedily as documented");
    }

    [Fact]
    public void ProcessedWeightsGiveTheSameGreedyContinuation()
    {
        var folder = SharedFiles.Models("gpt2-mini");
        var model = HookedTransformer.FromPretrained(folder);
        var (prompt, expected) = Prompts(folder).First();
        Greedy(model, prompt, expected.Length).Should().Equal(expected);
    }

    static int[] Greedy(HookedTransformer model, int[] prompt, int count)
    {
        var tokens = prompt.ToList();
        for (int step = 0; step < count; step++)
        {
            var logits = model.Run([.. tokens]);
            var last = logits[0][-1].Span;
            int best = 0;
            for (int v = 1; v < last.Length; v++) if (last[v] > last[best]) best = v;
            tokens.Add(best);
        }
        return tokens.Skip(prompt.Length).ToArray();
    }

    static IEnumerable<(int[] Prompt, int[] Greedy)> Prompts(string folder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "greedy.json")));
        foreach (var p in doc.RootElement.GetProperty("prompts").EnumerateArray())
            yield return (p.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                          p.GetProperty("greedy").EnumerateArray().Select(e => e.GetInt32()).ToArray());
    }
}

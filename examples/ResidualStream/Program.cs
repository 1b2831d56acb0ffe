using Glassbox.Analysis;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Examples.ResidualStream;

public static class Program
{
    public static int Main() => Example.Run(Console.Out);
}

/// <summary>
/// The Hugging Face steering tutorial on a real small LLaMA (stories260K): read the residual stream at
/// every layer, build a steering vector from two sets of prompts, add it while generating, project a
/// direction out of every layer, and edit a single position.
/// </summary>
public static class Example
{
    public static int Run(TextWriter output)
    {
        var model = Llama2cCheckpoint.Load(SharedFolder.Find("reference/stories260K/stories260K.bin"));
        const string prompt = "Once upon a time, there was a little";
        var greedy = GenerationOptions.Greedy(30);

        // 1. The residual stream entering every layer, at the last prompt token.
        var tokens = model.ToTokens(prompt);
        var (_, cache) = model.RunWithCache(tokens, "blocks.*.hook_resid_pre");
        using (cache)
        {
            output.WriteLine("norm of the residual stream at the last token, per layer:");
            for (int l = 0; l < model.Config.NLayers; l++)
                output.WriteLine($"  resid_pre {l}: {System.Numerics.Tensors.TensorPrimitives.Norm(cache["resid_pre", l][0][-1].Span):F2}");
        }

        // 2. A steering vector: mean activation of "boy" prompts minus "girl" prompts at layer 3
        //    (last token of each prompt). Layer 3 and a scale of 0.5 steer cleanly; much more breaks the text.
        string[] boys = ["Tim was a boy", "He was a little boy", "The boy", "Once upon a time, there was a boy"];
        string[] girls = ["Lily was a girl", "She was a little girl", "The girl", "Once upon a time, there was a girl"];
        const string point = "blocks.3.hook_resid_pre";
        var steer = Steering.MeanDifference(model, boys.Select(p => model.ToTokens(p).ToArray()).ToList(), girls.Select(p => model.ToTokens(p).ToArray()).ToList(), point);

        string plain = model.Generate(prompt, greedy);
        string steered = model.Generate(prompt, greedy with { Hooks = [Steering.Add(point, steer, scale: 0.5f)] });
        // 3. The same direction projected out of every layer, on a prompt that says "boy".
        const string boyPrompt = "Once upon a time, there was a little boy named Tim.";
        string boyPlain = model.Generate(boyPrompt, greedy);
        string boyAblated = model.Generate(boyPrompt, greedy with { Hooks = Steering.AblateDirection(model, steer) });
        // 4. A position-specific edit: the residual stream of the last token ("little") zeroed after layer 0.
        var pieces = model.ToStrTokens(prompt);
        int little = pieces.Count - 1;
        string zeroed = model.Generate(prompt, greedy with { Hooks = [Steering.ScalePositions("blocks.0.hook_resid_post", [little], 0f)] });

        output.WriteLine();
        output.WriteLine($"prompt: {prompt}");
        output.WriteLine($"  plain:                        {plain}");
        output.WriteLine($"  + 0.5 x (boy - girl) at L3:   {steered}");
        output.WriteLine($"  '{pieces[little].Trim()}' zeroed after L0:     {zeroed}");
        output.WriteLine($"prompt: {boyPrompt}");
        output.WriteLine($"  plain:                        {boyPlain}");
        output.WriteLine($"  boy-girl direction removed:   {boyAblated}");
        return steered.Contains("boy") && !plain.Contains("boy") ? 0 : 1;
    }
}

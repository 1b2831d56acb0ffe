using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Examples.SaeFeatures;

public static class Program
{
    public static int Main() => Example.Run(Console.Out);
}

/// <summary>
/// mi-crow's SAE workflow on the embedded induction model: an SAE spliced into the residual stream as a
/// detector (which tokens make a feature fire, over a dataset, in bounded memory) and as a controller
/// (edit features and watch the model's prediction follow).
/// <para>
/// The SAE is written by hand, like the model: after layer 0 the residual stream holds the current
/// token and the previous token as one-hot directions, so a feature per direction ("token is w",
/// "previous token is w") reconstructs those parts exactly. A trained SAE loads the same way with
/// <c>SparseAutoencoder.Load("folder with sae_weights.safetensors")</c>.
/// </para>
/// </summary>
public static class Example
{
    const int V = InductionDemoModel.Vocab;

    public static int Run(TextWriter output)
    {
        var model = InductionDemoModel.Create();
        var words = InductionDemoModel.Words;
        using var splice = SaeSplice.Attach(model, HandWrittenSae(), "blocks.1.hook_resid_pre");
        int prevCat = V + Id("cat");

        // Detector: over random word sequences, which tokens does "previous token is cat" fire on?
        var tracker = new LatentTracker(splice.Sae.DSae, topK: 5);
        var rng = new Random(1);
        // Sequences start with "the": at position 0 the previous-token head can only attend to the token itself.
        var batches = Enumerable.Range(0, 20).Select(_ => new IntTensor(Enumerable.Range(0, 4 * 24).Select(i => i % 24 == 0 ? Id("the") : rng.Next(V)).ToArray(), 4, 24)).ToList();
        using (splice.Track(tracker))
            foreach (var batch in batches) model.Forward(batch, new ForwardOptions { Return = ReturnType.None }).Dispose();
        output.WriteLine($"feature 'previous token is cat' over {tracker.SequencesSeen} sequences: fires on {tracker.FiringRate(prevCat):P1} of positions");
        foreach (var e in tracker.Top(prevCat))
        {
            var batch = batches[(int)(e.Sequence / 4)];
            output.WriteLine($"  {e.Value:F2} at '{words[batch[(int)(e.Sequence % 4), e.Position - 1]]} {words[e.Token]}' (sequence {e.Sequence}, position {e.Position})");
        }
        output.WriteLine($"dead features: {tracker.Dead().Count} of {tracker.Latents}");

        // Controller: the induction head matches on "previous token" features.
        var tokens = IntTensor.FromSequence(InductionDemoModel.Encode("the cat sat on a red mat and the cat"));
        string Predict() { using var logits = model.Run(tokens); return words[Sampler(logits)]; }
        output.WriteLine();
        output.WriteLine($"'the cat sat on a red mat and the cat' → '{Predict()}' (the SAE with its error term changes nothing)");
        using (splice.Scale([prevCat], 0f))
            output.WriteLine($"with 'previous token is cat' switched off → '{Predict()}'");
        // Move the feature: at "mat" (position 6), say the previous token was "cat" instead of "red".
        using (model.AddHook(splice.ActsPost.Name, Hook.Of(f =>
        {
            f[0, 2, prevCat] = 0f;
            f[0, 6, V + Id("red")] = 0f;
            f[0, 6, prevCat] = 1f;
        })))
        {
            string moved = Predict();
            output.WriteLine($"with the feature moved from 'sat' to 'mat' → '{moved}'");
            return moved == "mat" ? 0 : 1;
        }
    }

    static int Id(string word) => InductionDemoModel.Encode(word)[0];

    static int Sampler(Tensor logits)
    {
        var last = logits[0][-1].Span;
        int best = 0;
        for (int v = 1; v < last.Length; v++) if (last[v] > last[best]) best = v;
        return best;
    }

    /// <summary>Features 0..V-1 read the TOK subspace, V..2V-1 the PREV subspace; decoding writes them back.</summary>
    static SparseAutoencoder HandWrittenSae()
    {
        var c = InductionDemoModel.Config;
        int d = c.DModel, latents = 2 * V, prev = V + c.NCtx;
        var wEnc = new float[d * latents];
        var wDec = new float[latents * d];
        for (int t = 0; t < V; t++)
        {
            wEnc[t * latents + t] = 1; wDec[t * d + t] = 1;
            wEnc[(prev + t) * latents + V + t] = 1; wDec[(V + t) * d + prev + t] = 1;
        }
        // f = ReLU((x − 0.1) / 0.9): silent on the near-zero leftovers of attention, exactly 1 on a one-hot direction.
        for (int i = 0; i < wEnc.Length; i++) wEnc[i] /= 0.9f;
        var bEnc = Enumerable.Repeat(-0.1f / 0.9f, latents).ToArray();
        return new SparseAutoencoder(wEnc, bEnc, wDec, new float[d]);
    }
}

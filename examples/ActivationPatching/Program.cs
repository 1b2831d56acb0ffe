using Glassbox.Analysis;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Examples.ActivationPatching;

public static class Program
{
    public static int Main() => Example.Run(Console.Out);
}

/// <summary>
/// Clean vs corrupted prompts on the embedded induction model: "… the cat sat … the cat" predicts "sat";
/// corrupting the first "cat" to "dog" breaks the copy. Patching clean activations into the corrupted
/// run, one (layer, position) or one head at a time, shows where the information that matters lives.
/// </summary>
public static class Example
{
    public static int Run(TextWriter output)
    {
        var model = InductionDemoModel.Create();
        var clean = IntTensor.FromSequence(InductionDemoModel.Encode("the cat sat on a red mat and the cat"));
        var corrupted = IntTensor.FromSequence(InductionDemoModel.Encode("the dog sat on a red mat and the cat"));
        int sat = InductionDemoModel.Encode("sat")[0], mat = InductionDemoModel.Encode("mat")[0];
        var metric = Metrics.LogitDifference(sat, mat);

        float cleanScore = metric(model.Run(clean), clean), corruptedScore = metric(model.Run(corrupted), corrupted);
        output.WriteLine($"logit(sat) - logit(mat): clean {cleanScore:F2}, corrupted {corruptedScore:F2}");

        var (_, cleanCache) = model.RunWithCache(clean, HookFilter.Everything);
        using (cleanCache)
        {
            var residPre = Patching.ResidPre(model, corrupted, cleanCache, metric);
            var words = clean.ToArray().Select(t => InductionDemoModel.Words[t]).ToList();
            output.WriteLine();
            output.WriteLine("patching resid_pre (rows: layer, columns: position):");
            output.WriteLine("        " + string.Join("", words.Select(w => $"{w,7}")));
            for (int l = 0; l < residPre.Dim(0); l++)
                output.WriteLine($"layer {l} " + string.Join("", Enumerable.Range(0, residPre.Dim(1)).Select(p => $"{residPre[l, p],7:F2}")));

            var heads = Patching.AttnHeadOutAllPos(model, corrupted, cleanCache, metric);
            output.WriteLine();
            output.WriteLine("patching each head's output at every position:");
            for (int l = 0; l < heads.Dim(0); l++)
                for (int h = 0; h < heads.Dim(1); h++)
                    output.WriteLine($"  L{l}H{h}: {heads[l, h],6:F2}");

            // The story: the corrupted token matters at layer 0 (position 1, where "cat" was), and by
            // layer 1 the information has moved to position 2 ("sat"), written there by the
            // previous-token head; the induction head L1H1 reads it from there.
            int bestPosition0 = Enumerable.Range(0, residPre.Dim(1)).MaxBy(p => residPre[0, p]);
            int bestPosition1 = Enumerable.Range(0, residPre.Dim(1)).MaxBy(p => residPre[1, p]);
            output.WriteLine();
            output.WriteLine($"restoring layer 0 works at '{words[bestPosition0]}' (position {bestPosition0}); at layer 1 the information sits at '{words[bestPosition1]}' (position {bestPosition1})");
            return bestPosition0 == 1 && bestPosition1 == 2 ? 0 : 1;
        }
    }
}

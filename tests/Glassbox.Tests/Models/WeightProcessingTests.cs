using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Models;

public class WeightProcessingTests
{
    static readonly string Folder = SharedFiles.Reference("gpt2-tiny");

    [Fact]
    public void ProcessedModelGivesTheSameLogProbabilities()
    {
        var raw = HookedTransformer.FromPretrainedNoProcessing(Folder);
        var processed = HookedTransformer.FromPretrained(Folder);
        var tokens = new IntTensor([5, 17, 42, 3, 96, 0, 11, 64, 8, 23], 2, 5);
        LogSoftmax(processed.Run(tokens)).MaxAbsDifference(LogSoftmax(raw.Run(tokens))).Should().BeLessThan(1e-4f);
    }

    [Theory]
    [InlineData(true, false, false, false)]
    [InlineData(false, true, false, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, false, false, true)]
    public void EachStepAloneKeepsLogProbabilities(bool foldLn, bool centerWriting, bool centerUnembed, bool foldValueBiases)
    {
        var raw = HookedTransformer.FromPretrainedNoProcessing(Folder);
        var options = new ProcessingOptions { FoldLn = foldLn, CenterWritingWeights = centerWriting, CenterUnembed = centerUnembed, FoldValueBiases = foldValueBiases };
        var processed = HookedTransformer.FromPretrained(Folder, options);
        var tokens = IntTensor.FromSequence(1, 2, 3, 50, 60, 70, 80);
        LogSoftmax(processed.Run(tokens)).MaxAbsDifference(LogSoftmax(raw.Run(tokens))).Should().BeLessThan(1e-4f);
    }

    [Fact]
    public void ProcessingDoesWhatTransformerLensDoes()
    {
        var m = HookedTransformer.FromPretrained(Folder);
        m.Config.Normalization.Should().Be(NormalizationType.LNPre);
        var w = m.Weights;
        w.Layers[0].Ln1Weight.Should().BeNull();
        w.Layers[0].BV.Should().OnlyContain(v => v == 0f, "value biases are folded into b_O");
        RowMeans(w.WE, m.Config.DModel).Should().OnlyContain(x => Math.Abs(x) < 1e-6, "W_E is centred over d_model");
        RowMeans(w.WU!, m.Config.DVocab).Should().OnlyContain(x => Math.Abs(x) < 1e-6, "W_U is centred over the vocabulary");
        ColumnMeans(w.Layers[1].WQ, m.Config.DModel).Should().OnlyContain(x => Math.Abs(x) < 1e-6, "W_Q is centred over d_model after folding ln1");
    }

    [Fact]
    public void ProcessingLeavesTheInputWeightsUntouched()
    {
        var raw = HookedTransformer.FromPretrainedNoProcessing(Folder);
        var before = raw.Weights.WE.ToArray();
        WeightProcessing.Apply(raw.Config, raw.Weights, ProcessingOptions.Default);
        raw.Weights.WE.Should().Equal(before);
    }

    static Tensor LogSoftmax(Tensor logits)
    {
        int v = logits.Dim(-1);
        var result = Tensor.Zeros(logits.Shape.ToArray());
        for (int r = 0; r < logits.Length / v; r++) Softmax.LogRow(logits.Span.Slice(r * v, v), result.Span.Slice(r * v, v));
        return result;
    }

    static double[] RowMeans(float[] m, int n) => Enumerable.Range(0, m.Length / n).Select(r => m.Skip(r * n).Take(n).Average(x => (double)x)).ToArray();

    static double[] ColumnMeans(float[] m, int rows)
    {
        int n = m.Length / rows;
        return Enumerable.Range(0, n).Select(j => Enumerable.Range(0, rows).Average(i => (double)m[i * n + j])).ToArray();
    }
}

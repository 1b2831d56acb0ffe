using FsCheck;
using FsCheck.Fluent;
using Glassbox.Tensors;

namespace Glassbox.Tests.Tensors;

/// <summary>Softmax, norms and activations against naive double-precision versions over random rows.</summary>
public class KernelProperties
{
    static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(200);

    /// <summary>Rows of odd and even lengths with values in a realistic range.</summary>
    static Arbitrary<float[]> Rows(int maxLength = 300, double scale = 8) =>
        (from n in Gen.Choose(1, maxLength)
         from values in Gen.Choose(-1_000_000, 1_000_000).Select(v => (float)(v / 1_000_000.0 * scale)).ArrayOf(n)
         select values).ToArbitrary();

    [Fact]
    public void SoftmaxMatchesDoublePrecision()
    {
        Prop.ForAll(Rows(), x =>
        {
            var y = new float[x.Length];
            Softmax.Row(x, y);
            double max = x.Max();
            double sum = x.Sum(v => Math.Exp(v - max));
            for (int i = 0; i < x.Length; i++)
                Math.Abs(y[i] - Math.Exp(x[i] - max) / sum).Should().BeLessThan(1e-6);
        }).Check(Runs);
    }

    [Fact]
    public void SoftmaxGivesZeroToMaskedEntriesAndZeroRowsWhenAllAreMasked()
    {
        Prop.ForAll(Rows(), Gen.Choose(0, 1000).ToArbitrary(), (x, seed) =>
        {
            var rng = new Random(seed);
            var masked = x.Select(v => rng.Next(3) == 0 ? float.NegativeInfinity : v).ToArray();
            var y = new float[x.Length];
            Softmax.Row(masked, y);
            bool allMasked = masked.All(float.IsNegativeInfinity);
            for (int i = 0; i < x.Length; i++)
                if (float.IsNegativeInfinity(masked[i])) y[i].Should().Be(0f);
            y.Sum().Should().BeApproximately(allMasked ? 0f : 1f, 1e-5f);
            y.Should().OnlyContain(v => !float.IsNaN(v));
        }).Check(Runs);
    }

    [Fact]
    public void LogSoftmaxMatchesDoublePrecision()
    {
        Prop.ForAll(Rows(scale: 30), x =>
        {
            var y = new float[x.Length];
            Softmax.LogRow(x, y);
            double max = x.Max();
            double logSum = max + Math.Log(x.Sum(v => Math.Exp(v - max)));
            for (int i = 0; i < x.Length; i++) Math.Abs(y[i] - (x[i] - logSum)).Should().BeLessThan(1e-5 * (1 + Math.Abs(x[i] - logSum)));
        }).Check(Runs);
    }

    [Fact]
    public void LayerNormAndRmsNormMatchDoublePrecision()
    {
        Prop.ForAll(Rows(scale: 3), Gen.Elements(true, false).ToArbitrary(), (x, center) =>
        {
            const float eps = 1e-5f;
            double mean = center ? x.Average(v => (double)v) : 0;
            double expectedScale = Math.Sqrt(x.Average(v => (v - mean) * (v - mean)) + eps);
            float scale = Normalization.Scale(x, center, eps);
            Math.Abs(scale - expectedScale).Should().BeLessThan(1e-6 * expectedScale);
            var y = new float[x.Length];
            Normalization.Normalize(x, scale, center, y);
            for (int i = 0; i < x.Length; i++) Math.Abs(y[i] - (x[i] - mean) / expectedScale).Should().BeLessThan(2e-5 * (1 + Math.Abs(y[i])));
        }).Check(Runs);
    }

    [Fact]
    public void GeluNewMatchesDoublePrecision()
    {
        Prop.ForAll(Rows(scale: 10), x =>
        {
            var y = new float[x.Length];
            Activations.GeluNew(x, y, new float[x.Length]);
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i];
                double expected = 0.5 * v * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                Math.Abs(y[i] - expected).Should().BeLessThan(1e-6 + 1e-6 * Math.Abs(expected));
            }
        }).Check(Runs);
    }

    [Fact]
    public void ExactGeluMatchesTheIntegralOfTheNormalDensity()
    {
        Prop.ForAll(Rows(scale: 10), x =>
        {
            var y = new float[x.Length];
            Activations.Gelu(x, y);
            for (int i = 0; i < x.Length; i++)
            {
                double expected = x[i] * NormalCdf(x[i]);
                Math.Abs(y[i] - expected).Should().BeLessThan(1e-6 + 1e-6 * Math.Abs(expected));
            }
        }).Check(Runs);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(2.5, 0.9995930479825550)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(-1.5, -0.9661051464753108)]
    [InlineData(5.0, 0.9999999999984626)]
    public void ErfMatchesTabulatedValues(double x, double expected)
        => Erf.Evaluate(x).Should().BeApproximately(expected, 1e-14);

    [Fact]
    public void SiluAndReluMatchTheirDefinitions()
    {
        Prop.ForAll(Rows(scale: 10), x =>
        {
            var silu = new float[x.Length];
            var relu = new float[x.Length];
            Activations.Silu(x, silu, new float[x.Length]);
            Activations.Relu(x, relu);
            for (int i = 0; i < x.Length; i++)
            {
                double expected = x[i] / (1 + Math.Exp(-x[i]));
                Math.Abs(silu[i] - expected).Should().BeLessThan(1e-6 + 1e-6 * Math.Abs(expected));
                relu[i].Should().Be(Math.Max(x[i], 0f));
            }
        }).Check(Runs);
    }

    /// <summary>Φ(x) by Simpson integration of the density from 0, independent of the Erf under test.</summary>
    static double NormalCdf(double x)
    {
        int n = 2000;
        double h = x / n, sum = 0;
        for (int i = 0; i <= n; i++)
        {
            double t = i * h, f = Math.Exp(-t * t / 2);
            sum += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return 0.5 + sum * h / 3 / Math.Sqrt(2 * Math.PI);
    }
}

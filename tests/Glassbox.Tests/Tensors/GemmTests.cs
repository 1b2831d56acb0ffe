using FsCheck;
using FsCheck.Fluent;
using Glassbox.Tensors;

namespace Glassbox.Tests.Tensors;

public class GemmTests
{
    private const int KC = GemmBlocking.MaxKC;

    /// <summary>One randomly drawn product; <see cref="Seed"/> fills the operands.</summary>
    public sealed record Case(int M, int K, int N, bool Bias, bool Accumulate, int Threads, bool Portable, int Seed)
    {
        internal GemmTuning Tuning => new(Portable ? GemmKernelChoice.Portable : GemmKernelChoice.Auto, ParallelFlopThreshold: 0);
    }

    // Sizes cluster around the block edges (MR = 6, NR = 16, KC = 256) where off-by-one bugs live.
    private static readonly Gen<int> Rows = Gen.OneOf(Gen.Choose(1, 14), Gen.Elements(17, 23, 36, 41));
    private static readonly Gen<int> Depth = Gen.OneOf(Gen.Choose(1, 24), Gen.Elements(KC - 1, KC, KC + 1, 2 * KC + 3, 3 * KC - 1));
    private static readonly Gen<int> Columns = Gen.OneOf(Gen.Choose(1, 40), Gen.Elements(15, 16, 17, 31, 33, 64, 95, 130));

    private static readonly Gen<Case> Cases =
        from m in Rows
        from k in Depth
        from n in Columns
        from bias in Gen.Elements(false, true)
        from accumulate in Gen.Elements(false, true)
        from threads in Gen.Elements(1, 2, -1)
        from portable in Gen.Elements(false, true)
        from seed in Gen.Choose(0, int.MaxValue)
        select new Case(m, k, n, bias, accumulate, threads, portable, seed);

    [Fact]
    public void Packed_product_matches_double_precision_reference_on_random_shapes()
    {
        // ParallelFlopThreshold = 0 in each case, so even tiny products go through the task split.
        var property = Prop.ForAll(Cases.ToArbitrary(), c => CheckAgainstReference(c));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(6, 256, 16)]
    [InlineData(7, 257, 17)]
    [InlineData(5, 513, 15)]
    [InlineData(13, 1000, 33)]
    [InlineData(1, 768, 100)]
    [InlineData(64, 64, 64)]
    public void Edge_shapes_match_reference_on_both_kernels(int m, int k, int n)
    {
        foreach (bool portable in new[] { false, true })
        foreach (bool bias in new[] { false, true })
        foreach (bool accumulate in new[] { false, true })
            CheckAgainstReference(new Case(m, k, n, bias, accumulate, Threads: -1, portable, Seed: m * 1000 + k + n));
    }

    [Fact]
    public void Portable_and_accelerated_kernels_agree()
    {
        var c = new Case(19, 300, 45, Bias: true, Accumulate: false, Threads: 1, Portable: false, Seed: 7);
        var (a, b, bias, _) = Operands(c);
        var packed = PackedMatrix.Pack(b, c.K, c.N);
        var fast = new float[c.M * c.N];
        var portable = new float[c.M * c.N];
        Gemm.Multiply(a, c.M, packed, fast, bias, false, 1, new GemmTuning(GemmKernelChoice.Auto));
        Gemm.Multiply(a, c.M, packed, portable, bias, false, 1, new GemmTuning(GemmKernelChoice.Portable));
        AssertClose(portable, Reference(c, a, b, bias, null), Magnitudes(c, a, b, bias, null));
        AssertClose(fast, Reference(c, a, b, bias, null), Magnitudes(c, a, b, bias, null));
    }

    [Theory]
    [InlineData(50, 300, 700)]   // wide: split over column panels
    [InlineData(300, 600, 16)]   // narrow: split over rows
    [InlineData(12, 300, 2100)]  // several column tasks per thread
    public void Results_are_bit_identical_whatever_the_thread_count(int m, int k, int n)
    {
        var c = new Case(m, k, n, Bias: true, Accumulate: false, Threads: 1, Portable: false, Seed: 3);
        var (a, b, bias, _) = Operands(c);
        var packed = PackedMatrix.Pack(b, k, n);
        var single = new float[m * n];
        var multi = new float[m * n];
        Gemm.Multiply(a, m, packed, single, bias, maxThreads: 1);
        Gemm.Multiply(a, m, packed, multi, bias, maxThreads: -1);
        multi.Should().Equal(single);
        AssertClose(multi, Reference(c, a, b, bias, null), Magnitudes(c, a, b, bias, null));
    }

    [Theory]
    [InlineData(23, 40, 37)]
    [InlineData(6, 520, 50257 % 97)]
    [InlineData(3, 768, 300)]
    public void PackTransposed_gives_the_same_product_as_Pack(int m, int k, int n)
    {
        var c = new Case(m, k, n, Bias: false, Accumulate: false, Threads: 1, Portable: false, Seed: 11);
        var (a, b, _, _) = Operands(c);
        var bT = new float[n * k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < n; j++)
                bT[j * k + i] = b[i * n + j];

        var packed = PackedMatrix.Pack(b, k, n);
        var packedT = PackedMatrix.PackTransposed(bT, k, n);
        packedT.Rows.Should().Be(k);
        packedT.Columns.Should().Be(n);

        var expected = new float[m * n];
        var actual = new float[m * n];
        Gemm.Multiply(a, m, packed, expected);
        Gemm.Multiply(a, m, packedT, actual);
        actual.Should().Equal(expected);
    }

    [Fact]
    public void Large_matrices_pack_in_parallel_identically()
    {
        // Above the parallel-packing threshold (1M floats) in both orientations.
        int k = 300, n = 3500, m = 2;
        var c = new Case(m, k, n, Bias: false, Accumulate: false, Threads: 1, Portable: false, Seed: 5);
        var (a, b, _, _) = Operands(c);
        var bT = new float[n * k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < n; j++)
                bT[j * k + i] = b[i * n + j];
        var viaPack = new float[m * n];
        var viaTransposed = new float[m * n];
        Gemm.Multiply(a, m, PackedMatrix.Pack(b, k, n), viaPack);
        Gemm.Multiply(a, m, PackedMatrix.PackTransposed(bT, k, n), viaTransposed);
        viaTransposed.Should().Equal(viaPack);
        AssertClose(viaPack, Reference(c, a, b, null, null), Magnitudes(c, a, b, null, null));
    }

    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(9, 257, 33, true)]
    [InlineData(40, 200, 300, false)]
    public void Unpacked_overload_matches_reference(int m, int k, int n, bool accumulate)
    {
        var c = new Case(m, k, n, Bias: false, accumulate, Threads: -1, Portable: false, Seed: 13);
        var (a, b, _, initial) = Operands(c);
        var result = (float[])initial.Clone();
        Gemm.Multiply(a, m, k, b, n, result, accumulate);
        float[]? c0 = accumulate ? initial : null;
        AssertClose(result, Reference(c, a, b, null, c0), Magnitudes(c, a, b, null, c0));
    }

    [Fact]
    public void Zero_depth_product_yields_bias_or_keeps_c()
    {
        var empty = PackedMatrix.Pack([], 0, 3);
        float[] bias = [1, 2, 3];
        var c = new float[] { 9, 9, 9, 9, 9, 9 };
        Gemm.Multiply([], 2, empty, c, bias);
        c.Should().Equal(1, 2, 3, 1, 2, 3);
        Gemm.Multiply([], 2, empty, c, bias, accumulate: true);
        c.Should().Equal(2, 4, 6, 2, 4, 6);
        Gemm.Multiply([], 2, empty, c);
        c.Should().OnlyContain(x => x == 0);
        Gemm.Multiply([], 0, empty, []); // no rows: nothing to do
    }

    [Fact]
    public void Single_threaded_steady_state_does_not_allocate()
    {
        var c = new Case(20, 300, 40, Bias: true, Accumulate: false, Threads: 1, Portable: false, Seed: 17);
        var (a, b, bias, _) = Operands(c);
        var packed = PackedMatrix.Pack(b, c.K, c.N);
        var result = new float[c.M * c.N];
        Gemm.Multiply(a, c.M, packed, result, bias, maxThreads: 1); // first call allocates the thread's A buffer
        long before = GC.GetAllocatedBytesForCurrentThread();
        Gemm.Multiply(a, c.M, packed, result, bias, maxThreads: 1);
        GC.GetAllocatedBytesForCurrentThread().Should().Be(before);
    }

    [Fact]
    public void Task_plan_covers_every_tile_exactly_once()
    {
        foreach (int m in new[] { 1, 5, 6, 7, 64, 301 })
        foreach (int panels in new[] { 1, 3, 8, 9, 64, 65, 200, 3142 })
        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            var plan = GemmDriver.TaskPlan.Create(m, panels, threads);
            var covered = new int[m, panels];
            for (int t = 0; t < plan.Count; t++)
            {
                plan.Ranges(t, m, out int r0, out int r1, out int p0, out int p1);
                (r0 % GemmBlocking.MR).Should().Be(0, "row tasks start on micro-panel boundaries");
                for (int r = r0; r < r1; r++)
                    for (int p = p0; p < p1; p++)
                        covered[r, p]++;
            }
            covered.Cast<int>().Should().OnlyContain(x => x == 1, $"m={m} panels={panels} threads={threads}");
            if (threads > 1 && m >= threads * GemmBlocking.MR)
                plan.Count.Should().BeGreaterThanOrEqualTo(threads, "every core should get work");
        }
    }

    [Fact]
    public void Arguments_are_validated_with_both_sizes_in_the_message()
    {
        var packed = PackedMatrix.Pack(new float[12], 3, 4); // K = 3, N = 4
        var a = new float[2 * 3];
        var c = new float[2 * 4];

        Invoking(() => Gemm.Multiply(new float[5], 2, packed, c)).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "a" && e.Message.Contains('5') && e.Message.Contains("2×3 = 6"));
        Invoking(() => Gemm.Multiply(a, 2, packed, new float[7])).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "c" && e.Message.Contains('7') && e.Message.Contains("2×4 = 8"));
        Invoking(() => Gemm.Multiply(a, 2, packed, c, new float[3])).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "bias" && e.Message.Contains('3') && e.Message.Contains('4'));
        Invoking(() => Gemm.Multiply(a, 2, null!, c)).Should().Throw<ArgumentNullException>();
        Invoking(() => Gemm.Multiply(a, -1, packed, c)).Should().Throw<ArgumentOutOfRangeException>();
        Invoking(() => Gemm.Multiply(a, 2, packed, c, maxThreads: 0)).Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "maxThreads");
        Invoking(() => Gemm.Multiply(a, 2, packed, c, maxThreads: -2)).Should().Throw<ArgumentOutOfRangeException>();

        var shared = new float[16];
        Invoking(() => Gemm.Multiply(shared.AsSpan(0, 6), 2, packed, shared.AsSpan(4, 8))).Should().Throw<ArgumentException>()
            .WithMessage("*overlap*");

        Invoking(() => Gemm.Multiply(a, 2, 3, new float[11], 4, c)).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "b" && e.Message.Contains("11") && e.Message.Contains("3×4 = 12"));
        Invoking(() => Gemm.Multiply(a, 2, 3, new float[12], 4, new float[9])).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "c" && e.Message.Contains('9'));

        Invoking(() => PackedMatrix.Pack(new float[11], 3, 4)).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "b" && e.Message.Contains("11") && e.Message.Contains("3×4 = 12"));
        Invoking(() => PackedMatrix.PackTransposed(new float[11], 3, 4)).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "bT" && e.Message.Contains("11") && e.Message.Contains("4×3 = 12"));
        Invoking(() => PackedMatrix.Pack([], -1, 0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static Action Invoking(Action action) => action;

    private static bool CheckAgainstReference(Case c)
    {
        var (a, b, bias, initial) = Operands(c);
        var packed = PackedMatrix.Pack(b, c.K, c.N);
        var result = (float[])initial.Clone();
        Gemm.Multiply(a, c.M, packed, result, c.Bias ? bias : default, c.Accumulate, c.Threads, c.Tuning);

        float[]? biasOrNull = c.Bias ? bias : null;
        float[]? c0 = c.Accumulate ? initial : null;
        AssertClose(result, Reference(c, a, b, biasOrNull, c0), Magnitudes(c, a, b, biasOrNull, c0), c.ToString());
        return true;
    }

    private static (float[] A, float[] B, float[] Bias, float[] C) Operands(Case c)
    {
        var random = new Random(c.Seed);
        return (Random(random, c.M * c.K), Random(random, c.K * c.N), Random(random, c.N), Random(random, c.M * c.N));
    }

    private static float[] Random(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
            values[i] = random.NextSingle() * 2 - 1;
        return values;
    }

    // Naive GEMM in double: c0 + a·b + bias.
    private static double[] Reference(Case c, float[] a, float[] b, float[]? bias, float[]? c0)
    {
        var result = new double[c.M * c.N];
        for (int i = 0; i < c.M; i++)
            for (int j = 0; j < c.N; j++)
            {
                double sum = (c0?[i * c.N + j] ?? 0) + (bias?[j] ?? 0);
                for (int p = 0; p < c.K; p++)
                    sum += (double)a[i * c.K + p] * b[p * c.N + j];
                result[i * c.N + j] = sum;
            }
        return result;
    }

    // Σ|terms| per element: float rounding error grows with it, not with the (possibly cancelled) result.
    private static double[] Magnitudes(Case c, float[] a, float[] b, float[]? bias, float[]? c0)
    {
        var result = new double[c.M * c.N];
        for (int i = 0; i < c.M; i++)
            for (int j = 0; j < c.N; j++)
            {
                double sum = Math.Abs(c0?[i * c.N + j] ?? 0) + Math.Abs(bias?[j] ?? 0);
                for (int p = 0; p < c.K; p++)
                    sum += Math.Abs((double)a[i * c.K + p] * b[p * c.N + j]);
                result[i * c.N + j] = sum;
            }
        return result;
    }

    private static void AssertClose(float[] actual, double[] expected, double[] magnitudes, string because = "")
    {
        actual.Length.Should().Be(expected.Length);
        for (int i = 0; i < actual.Length; i++)
        {
            double tolerance = 1e-5 * magnitudes[i] + 1e-6;
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
                throw new Xunit.Sdk.XunitException($"element {i}: {actual[i]} vs reference {expected[i]} (tolerance {tolerance:G3}) {because}");
        }
    }
}

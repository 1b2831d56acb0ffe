namespace Glassbox.Tensors;

/// <summary>Which micro-kernel a product runs on.</summary>
internal enum GemmKernelChoice
{
    /// <summary>AVX2/FMA when the CPU has it, otherwise the portable kernel.</summary>
    Auto,

    /// <summary>Always the portable <c>Vector128</c> kernel (tests use this to cover the fallback on AVX2 machines).</summary>
    Portable,
}

/// <summary>
/// Internal knobs, passed per call rather than held in static switches so tests that force the
/// fallback or tiny-product threading never affect products running concurrently elsewhere.
/// </summary>
/// <param name="Kernel">Micro-kernel to use.</param>
/// <param name="ParallelFlopThreshold">Products below this many flops stay on the calling thread.</param>
internal readonly record struct GemmTuning(
    GemmKernelChoice Kernel = GemmKernelChoice.Auto,
    long ParallelFlopThreshold = GemmBlocking.ParallelFlopThreshold)
{
    public static GemmTuning Default => new();
}

/// <summary>One validated product C[M,N] (op)= A[M,K]·B (+ bias), as raw pointers into pinned memory.</summary>
internal readonly unsafe struct GemmProblem
{
    public required float* A { get; init; }
    public required int M { get; init; }
    public required float* B { get; init; }
    public required PanelLayout Layout { get; init; }
    public required float* C { get; init; }

    /// <summary>null when there is no bias.</summary>
    public required float* Bias { get; init; }

    public required bool Accumulate { get; init; }
    public required bool Portable { get; init; }

    public int K => Layout.Rows;
    public int N => Layout.Columns;
}

/// <summary>
/// The BLIS loop nest around the micro-kernel, and how it is cut into tasks for the thread pool.
/// Every element of C is computed by exactly one task in the same K order, so results are
/// bit-identical whatever the thread count.
/// </summary>
internal static unsafe class GemmDriver
{
    private const int MR = GemmBlocking.MR;
    private const int NR = GemmBlocking.NR;

    // Packed A block (MC×KC): one per thread, reused by every call on that thread.
    [ThreadStatic] private static PinnedBuffer? t_packedA;

    public static void Run(in GemmProblem problem, int threads, long parallelFlopThreshold)
    {
        long flops = 2L * problem.M * problem.N * problem.K;
        if (flops < parallelFlopThreshold)
            threads = 1;

        var plan = TaskPlan.Create(problem.M, problem.Layout.PanelCount, threads);
        if (threads == 1 || plan.Count == 1)
        {
            for (int t = 0; t < plan.Count; t++)
                RunTask(problem, plan, t);
            return;
        }

        RunParallel(problem, plan, threads);
    }

    // Separate method so the closure is allocated only when threads are actually used (the
    // compiler would otherwise create it on entry to Run, even on the single-threaded path).
    private static void RunParallel(GemmProblem problem, TaskPlan plan, int threads) =>
        Parallel.For(0, plan.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => RunTask(problem, plan, t));

    private static void RunTask(in GemmProblem p, in TaskPlan plan, int task)
    {
        plan.Ranges(task, p.M, out int rowStart, out int rowEnd, out int panelStart, out int panelEnd);
        if (rowStart >= rowEnd || panelStart >= panelEnd)
            return;

        float* packedA = (t_packedA ??= new PinnedBuffer((long)GemmBlocking.MC * GemmBlocking.MaxKC)).Pointer;
        float* edgeTile = stackalloc float[MR * NR];
        PanelLayout layout = p.Layout;
        int k = p.K, n = p.N;

        // Loop order jc (task) → pc (K block) → ic (MC rows) → jr (B panel) → ir (A panel):
        // the A block stays in L2 across all B panels, each B panel stays in L1 across all A panels.
        for (int blockStart = 0; blockStart < k; blockStart += layout.BlockDepth)
        {
            int depth = Math.Min(layout.BlockDepth, k - blockStart);
            bool accumulate = p.Accumulate || blockStart > 0; // later K blocks add to the partial sums
            float* bias = blockStart == 0 ? p.Bias : null;     // the bias is added exactly once

            for (int ic = rowStart; ic < rowEnd; ic += GemmBlocking.MC)
            {
                int rows = Math.Min(GemmBlocking.MC, rowEnd - ic);
                GemmPacking.PackA(p.A + (long)ic * k + blockStart, k, rows, depth, packedA);

                for (int panel = panelStart; panel < panelEnd; panel++)
                {
                    float* bPanel = p.B + layout.PanelOffset(blockStart, depth, panel);
                    int column = panel * NR;
                    int width = Math.Min(NR, n - column);
                    float* biasPanel = bias == null ? null : bias + column;

                    for (int ir = 0; ir < rows; ir += MR)
                    {
                        int tileRows = Math.Min(MR, rows - ir);
                        float* aPanel = packedA + (long)ir * depth;
                        float* c = p.C + (long)(ic + ir) * n + column;
                        if (width == NR)
                        {
                            Kernel(p.Portable, tileRows, depth, aPanel, bPanel, c, n, accumulate, biasPanel);
                        }
                        else
                        {
                            // Right edge: compute the full padded tile aside, then write only the real columns.
                            Kernel(p.Portable, tileRows, depth, aPanel, bPanel, edgeTile, NR, accumulate: false, bias: null);
                            WriteEdgeTile(edgeTile, tileRows, width, c, n, accumulate, biasPanel);
                        }
                    }
                }
            }
        }
    }

    private static void Kernel(bool portable, int rows, int depth, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias)
    {
        if (portable)
            GemmPortableKernel.Run(rows, depth, a, b, c, ldc, accumulate, bias);
        else
            GemmMicroKernel.Run(rows, depth, a, b, c, ldc, accumulate, bias);
    }

    // Same order of operations as the kernels' write-back (acc + C, then + bias), so edge columns
    // round exactly like interior ones.
    private static void WriteEdgeTile(float* tile, int rows, int width, float* c, int ldc, bool accumulate, float* bias)
    {
        var biasSpan = new ReadOnlySpan<float>(bias, bias == null ? 0 : width);
        for (int r = 0; r < rows; r++, tile += NR, c += ldc)
        {
            var source = new ReadOnlySpan<float>(tile, width);
            var destination = new Span<float>(c, width);
            if (accumulate)
                System.Numerics.Tensors.TensorPrimitives.Add(source, destination, destination);
            else
                source.CopyTo(destination);
            if (bias != null)
                System.Numerics.Tensors.TensorPrimitives.Add(destination, biasSpan, destination);
        }
    }

    /// <summary>
    /// Cuts C into a grid of tasks. Columns first: each task then needs only its own slice of the
    /// pre-packed B, and repacking the (small) A per task is cheap. Rows are split only when C is too
    /// narrow to give every thread a few panels. Column tasks are at most
    /// <see cref="GemmBlocking.PanelsPerTask"/> panels wide (so B's slice stays cache-sized and a
    /// loaded core can hand work to an idle one) and come in multiples of the thread count.
    /// </summary>
    internal readonly struct TaskPlan
    {
        private const int MinPanelsPerThread = 4;

        private TaskPlan(int rowTasks, int columnTasks, int panelCount)
        {
            RowTasks = rowTasks;
            ColumnTasks = columnTasks;
            PanelCount = panelCount;
        }

        public int RowTasks { get; }
        public int ColumnTasks { get; }
        public int PanelCount { get; }
        public int Count => RowTasks * ColumnTasks;

        public static TaskPlan Create(int m, int panelCount, int threads)
        {
            int columnTasks = Math.Max(1, (panelCount + GemmBlocking.PanelsPerTask - 1) / GemmBlocking.PanelsPerTask);
            int rowTasks = 1;
            if (threads > 1)
            {
                if (panelCount >= threads * MinPanelsPerThread)
                {
                    columnTasks = (columnTasks + threads - 1) / threads * threads;
                }
                else
                {
                    int rowPanels = (m + MR - 1) / MR;
                    rowTasks = Math.Max(1, Math.Min(threads, rowPanels));
                }
            }
            return new TaskPlan(rowTasks, Math.Min(columnTasks, Math.Max(panelCount, 1)), panelCount);
        }

        public void Ranges(int task, int m, out int rowStart, out int rowEnd, out int panelStart, out int panelEnd)
        {
            int row = task / ColumnTasks, column = task % ColumnTasks;
            panelStart = (int)((long)column * PanelCount / ColumnTasks);
            panelEnd = (int)((long)(column + 1) * PanelCount / ColumnTasks);
            // Row splits fall on MR boundaries so only the last task has a partial micro-panel.
            int rowPanels = (m + MR - 1) / MR;
            rowStart = (int)((long)row * rowPanels / RowTasks) * MR;
            rowEnd = Math.Min(m, (int)((long)(row + 1) * rowPanels / RowTasks) * MR);
        }
    }
}

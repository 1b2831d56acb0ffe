using System.Runtime.Intrinsics;

namespace Glassbox.Tensors;

/// <summary>
/// Fallback micro-kernel for CPUs without AVX2/FMA (or when a test forces it): same panels, same
/// write-back contract as <see cref="GemmMicroKernel"/>, built on <c>Vector128</c> (SSE, NEON, or
/// software where neither exists). One row at a time with 4 accumulators, so it never spills.
/// Multiply and add stay separate: a fused multiply-add is emulated in software where the hardware lacks it.
/// </summary>
internal static unsafe class GemmPortableKernel
{
    public static void Run(int rows, int depth, float* a, float* b, float* c, nint ldc, bool accumulate, float* bias)
    {
        for (int r = 0; r < rows; r++, c += ldc)
        {
            Vector128<float> c0 = default, c1 = default, c2 = default, c3 = default;
            float* ak = a + r;
            float* bk = b;
            for (int k = 0; k < depth; k++, ak += GemmBlocking.MR, bk += GemmBlocking.NR)
            {
                Vector128<float> x = Vector128.Create(*ak);
                c0 += x * Vector128.Load(bk);
                c1 += x * Vector128.Load(bk + 4);
                c2 += x * Vector128.Load(bk + 8);
                c3 += x * Vector128.Load(bk + 12);
            }
            if (accumulate)
            {
                c0 += Vector128.Load(c);
                c1 += Vector128.Load(c + 4);
                c2 += Vector128.Load(c + 8);
                c3 += Vector128.Load(c + 12);
            }
            if (bias != null)
            {
                c0 += Vector128.Load(bias);
                c1 += Vector128.Load(bias + 4);
                c2 += Vector128.Load(bias + 8);
                c3 += Vector128.Load(bias + 12);
            }
            c0.Store(c);
            c1.Store(c + 4);
            c2.Store(c + 8);
            c3.Store(c + 12);
        }
    }
}

using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Glassbox.Loading;

/// <summary>
/// Converts raw little-endian tensor data (straight from the memory map) to float32 or int64; the
/// element count is the destination's length. Sources come as pointers because a tensor's bytes can
/// exceed what one <see cref="Span{T}"/> of bytes holds even when its elements fit in one array.
/// Sources may be unaligned (safetensors offsets need not be multiples of the element size), which
/// x64 and arm64 loads tolerate.
/// </summary>
internal static unsafe class TensorDataConversion
{
    public static void ToFloat32(SafetensorsDType dtype, byte* source, Span<float> destination)
    {
        int n = destination.Length;
        switch (dtype)
        {
            case SafetensorsDType.F32:
                new ReadOnlySpan<float>(source, n).CopyTo(destination);
                break;
            case SafetensorsDType.F16:
                TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(source, n), destination);
                break;
            case SafetensorsDType.BF16:
                BFloat16ToSingle(new ReadOnlySpan<ushort>(source, n), destination);
                break;
            case SafetensorsDType.F64:
                // Rounds to nearest, exactly like a (float) cast.
                TensorPrimitives.ConvertTruncating(new ReadOnlySpan<double>(source, n), destination);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a floating-point dtype");
        }
    }

    public static void ToInt64(SafetensorsDType dtype, byte* source, Span<long> destination)
    {
        int n = destination.Length;
        switch (dtype)
        {
            case SafetensorsDType.I64:
                new ReadOnlySpan<long>(source, n).CopyTo(destination);
                break;
            case SafetensorsDType.I32:
                TensorPrimitives.ConvertTruncating(new ReadOnlySpan<int>(source, n), destination);
                break;
            case SafetensorsDType.I16:
                TensorPrimitives.ConvertTruncating(new ReadOnlySpan<short>(source, n), destination);
                break;
            case SafetensorsDType.I8:
                TensorPrimitives.ConvertTruncating(new ReadOnlySpan<sbyte>(source, n), destination);
                break;
            case SafetensorsDType.U8:
                TensorPrimitives.ConvertTruncating(new ReadOnlySpan<byte>(source, n), destination);
                break;
            case SafetensorsDType.BOOL:
                // Any non-zero byte is true, as numpy and torch read it.
                for (int i = 0; i < n; i++) destination[i] = source[i] != 0 ? 1 : 0;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not an integer dtype");
        }
    }

    /// <summary>bfloat16 is the top half of a float32, so widening is a 16-bit shift.</summary>
    public static void BFloat16ToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        ref ushort src = ref MemoryMarshal.GetReference(source);
        ref float dst = ref MemoryMarshal.GetReference(destination);
        int n = source.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= n - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                (Vector256<uint> lower, Vector256<uint> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref src, (nuint)i));
                Vector256.ShiftLeft(lower, 16).AsSingle().StoreUnsafe(ref dst, (nuint)i);
                Vector256.ShiftLeft(upper, 16).AsSingle().StoreUnsafe(ref dst, (nuint)(i + Vector256<uint>.Count));
            }
        }
        for (; i < n; i++)
            Unsafe.Add(ref dst, i) = BitConverter.Int32BitsToSingle(Unsafe.Add(ref src, i) << 16);
    }
}

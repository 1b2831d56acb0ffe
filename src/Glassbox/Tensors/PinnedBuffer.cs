using System.Runtime.CompilerServices;

namespace Glassbox.Tensors;

/// <summary>
/// A float array on the pinned object heap with a cache-line-aligned start. Pinned so raw pointers
/// into it stay valid across calls (and across worker threads) without <c>fixed</c> scopes; the GC
/// still owns it, so nothing leaks when the owner goes away.
/// </summary>
internal sealed unsafe class PinnedBuffer
{
    private const int Slack = GemmBlocking.AlignmentBytes / sizeof(float);

    private readonly float[] _array;

    public PinnedBuffer(long length)
    {
        if (length > Array.MaxLength - Slack)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"A packed buffer of {length} floats exceeds the largest array .NET can allocate ({Array.MaxLength - Slack}).");
        _array = GC.AllocateUninitializedArray<float>((int)length + Slack, pinned: true);
        Length = length;
        Pointer = AlignUp((float*)Unsafe.AsPointer(ref _array[0]));
    }

    /// <summary>Usable floats from <see cref="Pointer"/>.</summary>
    public long Length { get; }

    /// <summary>Aligned start; valid for as long as this object is reachable.</summary>
    public float* Pointer { get; }

    /// <summary>Rounds a pointer up to the next <see cref="GemmBlocking.AlignmentBytes"/> boundary.</summary>
    public static float* AlignUp(float* p) =>
        (float*)(((nuint)p + GemmBlocking.AlignmentBytes - 1) & ~(nuint)(GemmBlocking.AlignmentBytes - 1));

    /// <summary>Extra floats to allocate so an unaligned buffer can be aligned with <see cref="AlignUp"/>.</summary>
    public static int AlignmentSlack => Slack;
}

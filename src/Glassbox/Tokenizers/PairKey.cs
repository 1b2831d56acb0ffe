namespace Glassbox.Tokenizers;

/// <summary>
/// Two token ids packed into one dictionary key. <see cref="long.GetHashCode"/> would XOR the halves, so the
/// pairs of a 32k–128k vocabulary would crowd into a few ten thousand buckets; this comparer mixes the bits.
/// </summary>
internal sealed class PairKey : IEqualityComparer<long>
{
    public static readonly PairKey Comparer = new();

    public static long Of(int left, int right) => ((long)left << 32) | (uint)right;

    public bool Equals(long x, long y) => x == y;

    public int GetHashCode(long value) => (int)(((ulong)value * 0x9E3779B97F4A7C15UL) >> 32);
}

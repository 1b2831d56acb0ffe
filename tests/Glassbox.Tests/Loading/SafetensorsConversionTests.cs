using System.Runtime.InteropServices;
using Glassbox.Export;
using Glassbox.Loading;

namespace Glassbox.Tests.Loading;

/// <summary>Half-precision, bfloat16, float64 and integer conversions, through real files.</summary>
public sealed class SafetensorsConversionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private float[] RoundTripFloat<T>(SafetensorsDType dtype, T[] values) where T : unmanaged
    {
        string path = _folder.File($"{dtype}.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsWriteEntry("x", dtype, [values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray())]);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        return file.ReadFloat32("x");
    }

    private long[] RoundTripInt<T>(SafetensorsDType dtype, T[] values) where T : unmanaged
    {
        string path = _folder.File($"{dtype}.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsWriteEntry("x", dtype, [values.Length], MemoryMarshal.AsBytes(values.AsSpan()).ToArray())]);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        return file.ReadInt64("x");
    }

    private static void ShouldBeBitwiseEqual(float[] actual, float[] expected)
    {
        actual.Should().HaveSameCount(expected);
        for (int i = 0; i < expected.Length; i++)
        {
            // NaN payloads may legitimately differ between conversion routes; every other value must be exact.
            if (float.IsNaN(expected[i])) float.IsNaN(actual[i]).Should().BeTrue($"element {i} is NaN");
            else BitConverter.SingleToInt32Bits(actual[i]).Should().Be(BitConverter.SingleToInt32Bits(expected[i]), $"element {i} is {expected[i]}");
        }
    }

    [Fact]
    public void Every_F16_bit_pattern_converts_exactly()
    {
        ushort[] bits = Enumerable.Range(0, 1 << 16).Select(i => (ushort)i).ToArray();
        float[] expected = bits.Select(b => (float)BitConverter.UInt16BitsToHalf(b)).ToArray();
        ShouldBeBitwiseEqual(RoundTripFloat(SafetensorsDType.F16, bits), expected);
    }

    [Fact]
    public void F16_known_values()
    {
        Half[] values = [(Half)1, (Half)(-2), (Half)0.5f, (Half)65504, Half.Epsilon, Half.NegativeZero, Half.PositiveInfinity];
        RoundTripFloat(SafetensorsDType.F16, values).Should().Equal(1f, -2f, 0.5f, 65504f, 5.9604645E-08f, -0f, float.PositiveInfinity);
    }

    [Fact]
    public void Every_BF16_bit_pattern_is_the_top_half_of_a_float32()
    {
        ushort[] bits = Enumerable.Range(0, 1 << 16).Select(i => (ushort)i).ToArray();
        float[] expected = bits.Select(b => BitConverter.Int32BitsToSingle(b << 16)).ToArray();
        ShouldBeBitwiseEqual(RoundTripFloat(SafetensorsDType.BF16, bits), expected);
    }

    [Fact]
    public void BF16_known_values_including_a_vector_tail()
    {
        // 19 elements: one 16-wide vector step plus a scalar tail.
        float[] values = [1f, -2f, 3.140625f, 0.5f, -0f, float.NegativeInfinity, 1e38f, 65536f, 0.15625f, -7.5f,
                          100f, 1f / 1024, -1f / 3, 2f, 4f, 8f, 16f, 32f, 64f];
        float[] representable = values.Select(v => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(v) & unchecked((int)0xFFFF0000))).ToArray();
        ushort[] bits = representable.Select(v => (ushort)(BitConverter.SingleToUInt32Bits(v) >> 16)).ToArray();
        bits[0].Should().Be(0x3F80);
        bits[2].Should().Be(0x4049);
        ShouldBeBitwiseEqual(RoundTripFloat(SafetensorsDType.BF16, bits), representable);
    }

    [Fact]
    public void F64_converts_like_a_float_cast()
    {
        double[] values = [0, -0.0, 1, -2.5, 0.1, 1.0 / 3, 1e-50, 1e300, -1e300, double.NaN, double.PositiveInfinity, 16777217, 3.4028235677973366e38];
        ShouldBeBitwiseEqual(RoundTripFloat(SafetensorsDType.F64, values), values.Select(v => (float)v).ToArray());
    }

    [Fact]
    public void F32_keeps_every_bit()
    {
        float[] values = [0f, -0f, float.MinValue, float.MaxValue, float.Epsilon, float.NegativeInfinity, BitConverter.Int32BitsToSingle(0x7FC01234)];
        float[] read = RoundTripFloat(SafetensorsDType.F32, values);
        read.Select(BitConverter.SingleToInt32Bits).Should().Equal(values.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void Integer_dtypes_widen_to_int64()
    {
        RoundTripInt(SafetensorsDType.I64, new[] { long.MinValue, -1L, 0L, long.MaxValue }).Should().Equal(long.MinValue, -1, 0, long.MaxValue);
        RoundTripInt(SafetensorsDType.I32, new[] { int.MinValue, -1, 0, int.MaxValue }).Should().Equal(int.MinValue, -1, 0, int.MaxValue);
        RoundTripInt(SafetensorsDType.I16, new short[] { short.MinValue, -1, 0, short.MaxValue }).Should().Equal(short.MinValue, -1, 0, short.MaxValue);
        RoundTripInt(SafetensorsDType.I8, new sbyte[] { sbyte.MinValue, -1, 0, sbyte.MaxValue }).Should().Equal(sbyte.MinValue, -1, 0, sbyte.MaxValue);
        RoundTripInt(SafetensorsDType.U8, new byte[] { 0, 1, 128, 255 }).Should().Equal(0, 1, 128, 255);
        RoundTripInt(SafetensorsDType.BOOL, new byte[] { 0, 1, 1, 0 }).Should().Equal(0, 1, 1, 0);
    }
}

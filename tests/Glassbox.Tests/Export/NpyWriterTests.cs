using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Glassbox.Export;

namespace Glassbox.Tests.Export;

public sealed class NpyWriterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Splits a .npy file into (header text, data bytes) after checking the version 1.0 preamble.</summary>
    private static (string Header, byte[] Data) Parse(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bytes[..8].Should().Equal(0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0);
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        ((10 + headerLength) % 64).Should().Be(0, "numpy aligns the data to 64 bytes");
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        header.Should().EndWith("\n");
        return (header.TrimEnd('\n').TrimEnd(' '), bytes[(10 + headerLength)..]);
    }

    [Fact]
    public void Float32_matrix()
    {
        string path = _folder.File("a.npy");
        float[] values = [1, 2, 3, -4.5f, 0, float.NegativeInfinity];
        NpyWriter.Write(path, [2, 3], values);
        (string header, byte[] data) = Parse(path);
        header.Should().Be("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
        MemoryMarshal.Cast<byte, float>(data).ToArray().Should().Equal(values);
    }

    [Theory]
    [InlineData(new long[] { 4 }, "(4,)")]
    [InlineData(new long[] { }, "()")]
    [InlineData(new long[] { 1, 2, 2 }, "(1, 2, 2)")]
    [InlineData(new long[] { 0, 7 }, "(0, 7)")]
    public void Int64_shapes_are_python_tuples(long[] shape, string tuple)
    {
        string path = _folder.File("t.npy");
        long[] values = Enumerable.Range(0, (int)shape.Aggregate(1L, (a, b) => a * b)).Select(i => (long)i - 2).ToArray();
        NpyWriter.Write(path, shape, values.AsSpan());
        (string header, byte[] data) = Parse(path);
        header.Should().Be($"{{'descr': '<i8', 'fortran_order': False, 'shape': {tuple}, }}");
        MemoryMarshal.Cast<byte, long>(data).ToArray().Should().Equal(values);
    }

    [Fact]
    public void Shape_must_match_the_values_and_nothing_is_left_behind()
    {
        string path = _folder.File("bad.npy");
        Action write = () => NpyWriter.Write(path, [2, 2], new float[3]);
        write.Should().Throw<ArgumentException>().Which.Message.Should().Contain(path).And.Contain("4 elements").And.Contain("3 values");
        Action negative = () => NpyWriter.Write(path, [-1], ReadOnlySpan<long>.Empty);
        negative.Should().Throw<ArgumentException>().Which.Message.Should().Contain("[-1]");
        _folder.Entries().Should().BeEmpty();
    }

    [Fact]
    public void Writing_replaces_atomically()
    {
        string path = _folder.File("x.npy");
        NpyWriter.Write(path, [1], new float[] { 1 });
        NpyWriter.Write(path, [2], new float[] { 2, 3 });
        MemoryMarshal.Cast<byte, float>(Parse(path).Data).ToArray().Should().Equal(2f, 3f);
        _folder.Entries().Should().Equal("x.npy");
    }
}

using System.Runtime.InteropServices;
using FsCheck;
using FsCheck.Fluent;
using Glassbox.Export;
using Glassbox.Loading;

namespace Glassbox.Tests.Export;

/// <summary>Random tensors (names, dtypes, shapes, bit patterns) and metadata written, then read back identical.</summary>
public sealed class SafetensorsRoundTripProperties : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public sealed record RandomTensor(string Name, SafetensorsDType DType, long[] Shape, byte[] Data)
    {
        public override string ToString() => $"{Name} {DType} [{string.Join(",", Shape)}]";
    }

    private static readonly char[] NameAlphabet = "ab.0_-/ é名\"\\".ToCharArray();

    private static Gen<RandomTensor> TensorGen() =>
        from chars in Gen.Elements(NameAlphabet).ArrayOf()
        from dtype in Gen.Elements(Enum.GetValues<SafetensorsDType>())
        from rank in Gen.Choose(0, 3)
        from shape in Gen.Choose(0, 4).Select(d => (long)d).ArrayOf(rank)
        from data in Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf(checked((int)(SafetensorsTensorInfo.CountElements(shape) * dtype.ByteSize())))
        select new RandomTensor(new string(chars), dtype, shape, dtype == SafetensorsDType.BOOL ? data.Select(b => (byte)(b & 1)).ToArray() : data);

    private static Gen<(RandomTensor[] Tensors, Dictionary<string, string>? Metadata)> FileGen() =>
        from tensors in TensorGen().ListOf().Select(l => l.Take(8).ToArray())
        from metadata in Gen.Elements(NameAlphabet).ArrayOf().Select(c => new string(c)).Two().ListOf()
        from withMetadata in Gen.Elements(true, false)
        select (Unique(tensors), withMetadata ? metadata.Take(4).DistinctBy(kv => kv.Item1).ToDictionary(kv => kv.Item1, kv => kv.Item2) : null);

    // Names must be unique; suffixing the index keeps the random characters and guarantees it.
    private static RandomTensor[] Unique(RandomTensor[] tensors) =>
        tensors.Select((t, i) => t with { Name = $"{t.Name}#{i}" }).ToArray();

    [Fact]
    public void Written_tensors_read_back_equal()
    {
        Prop.ForAll(FileGen().ToArbitrary(), file =>
        {
            string path = _folder.File("prop.safetensors");
            SafetensorsWriter.Write(path, file.Tensors.Select(t => new SafetensorsWriteEntry(t.Name, t.DType, t.Shape, t.Data)), file.Metadata);

            using SafetensorsFile read = SafetensorsFile.Open(path);
            read.Metadata.Should().Equal(file.Metadata ?? new Dictionary<string, string>());
            read.Tensors.Select(t => t.Name).Should().Equal(file.Tensors.Select(t => t.Name), "entries are written contiguously in the given order");
            foreach (RandomTensor t in file.Tensors)
            {
                SafetensorsTensorInfo info = read[t.Name];
                info.DType.Should().Be(t.DType);
                info.Shape.Should().Equal(t.Shape);
                info.ByteLength.Should().Be(t.Data.Length);
                if (t.DType.IsFloatingPoint())
                    read.ReadFloat32(t.Name).Should().Equal(ExpectedFloats(t), (a, b) => BitConverter.SingleToInt32Bits(a) == BitConverter.SingleToInt32Bits(b) || (float.IsNaN(a) && float.IsNaN(b)));
                else
                    read.ReadInt64(t.Name).Should().Equal(ExpectedInts(t));
            }
        }).QuickCheckThrowOnFailure();
    }

    private static float[] ExpectedFloats(RandomTensor t) => t.DType switch
    {
        SafetensorsDType.F32 => MemoryMarshal.Cast<byte, float>(t.Data).ToArray(),
        SafetensorsDType.F64 => MemoryMarshal.Cast<byte, double>(t.Data).ToArray().Select(d => (float)d).ToArray(),
        SafetensorsDType.F16 => MemoryMarshal.Cast<byte, Half>(t.Data).ToArray().Select(h => (float)h).ToArray(),
        SafetensorsDType.BF16 => MemoryMarshal.Cast<byte, ushort>(t.Data).ToArray().Select(b => BitConverter.Int32BitsToSingle(b << 16)).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };

    private static long[] ExpectedInts(RandomTensor t) => t.DType switch
    {
        SafetensorsDType.I64 => MemoryMarshal.Cast<byte, long>(t.Data).ToArray(),
        SafetensorsDType.I32 => MemoryMarshal.Cast<byte, int>(t.Data).ToArray().Select(v => (long)v).ToArray(),
        SafetensorsDType.I16 => MemoryMarshal.Cast<byte, short>(t.Data).ToArray().Select(v => (long)v).ToArray(),
        SafetensorsDType.I8 => t.Data.Select(v => (long)(sbyte)v).ToArray(),
        SafetensorsDType.U8 or SafetensorsDType.BOOL => t.Data.Select(v => (long)v).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(t)),
    };
}

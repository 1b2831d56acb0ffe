using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Glassbox.Export;
using Glassbox.Loading;

namespace Glassbox.Tests.Export;

public sealed class SafetensorsWriterTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string HeaderOf(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int length = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        return Encoding.UTF8.GetString(bytes, 8, length);
    }

    [Fact]
    public void Header_keeps_the_given_order_is_contiguous_and_space_padded_to_8_bytes()
    {
        string path = _folder.File("w.safetensors");
        SafetensorsWriter.Write(path,
            [
                SafetensorsWriteEntry.Float32("b", [2], new float[] { 1, 2 }),
                SafetensorsWriteEntry.Int64("a", [], new long[] { 7 }),
            ],
            new Dictionary<string, string> { ["k"] = "v" });

        string json = "{\"__metadata__\":{\"k\":\"v\"},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"a\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        string header = HeaderOf(path);
        header.Length.Should().Be((json.Length + 7) / 8 * 8);
        header.Should().Be(json.PadRight(header.Length));
        new FileInfo(path).Length.Should().Be(8 + header.Length + 16);

        using SafetensorsFile file = SafetensorsFile.Open(path);
        file.Tensors.Select(t => t.Name).Should().Equal("b", "a");
        file.Metadata.Should().Equal(new Dictionary<string, string> { ["k"] = "v" });
        file.ReadFloat32("b").Should().Equal(1f, 2f);
        file.ReadInt64("a").Should().Equal(7);
    }

    [Fact]
    public void No_metadata_means_no_metadata_entry()
    {
        string path = _folder.File("w.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsWriteEntry.Float32("x", [1], new float[] { 1 })]);
        HeaderOf(path).Should().NotContain("__metadata__");
        using SafetensorsFile file = SafetensorsFile.Open(path);
        file.Metadata.Should().BeEmpty();
    }

    public static TheoryData<SafetensorsDType> AllDTypes() => new(Enum.GetValues<SafetensorsDType>());

    [Theory]
    [MemberData(nameof(AllDTypes))]
    public void Every_dtype_round_trips(SafetensorsDType dtype)
    {
        // Values every dtype represents exactly, as raw little-endian bytes of that dtype.
        double[] values = dtype == SafetensorsDType.BOOL ? [0, 1, 1, 0, 1, 0] : dtype == SafetensorsDType.U8 ? [0, 1, 2, 100, 255, 3] : [0, 1, -2, 100, -128, 3];
        byte[] raw = dtype switch
        {
            SafetensorsDType.F64 => MemoryMarshal.AsBytes(values.AsSpan()).ToArray(),
            SafetensorsDType.F32 => MemoryMarshal.AsBytes(values.Select(v => (float)v).ToArray().AsSpan()).ToArray(),
            SafetensorsDType.F16 => MemoryMarshal.AsBytes(values.Select(v => (Half)v).ToArray().AsSpan()).ToArray(),
            SafetensorsDType.BF16 => MemoryMarshal.AsBytes(values.Select(v => (ushort)(BitConverter.SingleToUInt32Bits((float)v) >> 16)).ToArray().AsSpan()).ToArray(),
            SafetensorsDType.I64 => MemoryMarshal.AsBytes(values.Select(v => (long)v).ToArray().AsSpan()).ToArray(),
            SafetensorsDType.I32 => MemoryMarshal.AsBytes(values.Select(v => (int)v).ToArray().AsSpan()).ToArray(),
            SafetensorsDType.I16 => MemoryMarshal.AsBytes(values.Select(v => (short)v).ToArray().AsSpan()).ToArray(),
            SafetensorsDType.I8 => MemoryMarshal.AsBytes(values.Select(v => (sbyte)v).ToArray().AsSpan()).ToArray(),
            SafetensorsDType.U8 or SafetensorsDType.BOOL => values.Select(v => (byte)v).ToArray(),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
        };
        string path = _folder.File("all.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsWriteEntry("t", dtype, [2, 3], raw)]);

        using SafetensorsFile file = SafetensorsFile.Open(path);
        file["t"].Should().Be(new SafetensorsTensorInfo("t", dtype, [2, 3], 0, raw.Length));
        if (dtype.IsFloatingPoint())
            file.ReadFloat32("t").Should().Equal(values.Select(v => (float)v));
        else
            file.ReadInt64("t").Should().Equal(values.Select(v => (long)v));
    }

    [Fact]
    public void Unusual_names_scalars_and_empty_tensors_round_trip()
    {
        string path = _folder.File("odd.safetensors");
        string[] names = ["", "ünïcödé.名前", "quote\"back\\slash", "a+b<c>&d", "tab\tnew\nline", " "];
        SafetensorsWriter.Write(path, names.Select((n, i) => SafetensorsWriteEntry.Float32(n, i % 2 == 0 ? [] : [0, 2], i % 2 == 0 ? new float[] { i } : Array.Empty<float>())));
        using SafetensorsFile file = SafetensorsFile.Open(path);
        file.Tensors.Select(t => t.Name).Should().Equal(names);
        file.ReadFloat32("ünïcödé.名前").Should().BeEmpty();
        file.ReadFloat32("quote\"back\\slash").Should().Equal(2f);
        HeaderOf(path).Should().Contain("ünïcödé.名前").And.Contain("a+b<c>&d");
    }

    [Fact]
    public void Float32_and_Int64_entries_view_their_values_without_copying()
    {
        float[] values = [1, 2, 3];
        SafetensorsWriteEntry entry = SafetensorsWriteEntry.Float32("x", [3], values);
        values[1] = 42;
        MemoryMarshal.Cast<byte, float>(entry.Data.Span).ToArray().Should().Equal(1f, 42f, 3f);
        entry.DType.Should().Be(SafetensorsDType.F32);

        using (System.Buffers.MemoryHandle pin = entry.Data.Slice(4).Pin())
        {
            unsafe { (*(float*)pin.Pointer).Should().Be(42f); }
        }

        SafetensorsWriteEntry ints = SafetensorsWriteEntry.Int64("i", [2], new long[] { -1, long.MaxValue });
        ints.Data.Length.Should().Be(16);
        BinaryPrimitives.ReadInt64LittleEndian(ints.Data.Span[8..]).Should().Be(long.MaxValue);
    }

    [Fact]
    public void Duplicate_names_are_refused_and_name_the_duplicate()
    {
        string path = _folder.File("dup.safetensors");
        Action write = () => SafetensorsWriter.Write(path,
            [SafetensorsWriteEntry.Float32("a", [1], new float[1]), SafetensorsWriteEntry.Float32("b", [1], new float[1]), SafetensorsWriteEntry.Float32("a", [1], new float[1])]);
        write.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'a'").And.Contain("twice").And.Contain(path);
        _folder.Entries().Should().BeEmpty();
    }

    [Theory]
    [InlineData(new long[] { 2, 3 }, 5)]
    [InlineData(new long[] { 2, 3 }, 7)]
    [InlineData(new long[] { }, 0)]
    public void Data_length_must_match_the_shape(long[] shape, int count)
    {
        string path = _folder.File("len.safetensors");
        Action write = () => SafetensorsWriter.Write(path, [SafetensorsWriteEntry.Float32("ok", [1], new float[1]), SafetensorsWriteEntry.Float32("bad", shape, new float[count])]);
        write.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'bad'").And.Contain($"{count * 4} bytes");
        _folder.Entries().Should().BeEmpty();
    }

    [Fact]
    public void Negative_dimensions_and_the_reserved_name_are_refused()
    {
        string path = _folder.File("x.safetensors");
        Action negative = () => SafetensorsWriter.Write(path, [new SafetensorsWriteEntry("neg", SafetensorsDType.U8, [-1], Array.Empty<byte>())]);
        negative.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'neg'").And.Contain("negative");
        Action reserved = () => SafetensorsWriter.Write(path, [SafetensorsWriteEntry.Float32("__metadata__", [1], new float[1])]);
        reserved.Should().Throw<ArgumentException>().Which.Message.Should().Contain("reserved");
    }

    [Fact]
    public void A_failed_write_leaves_an_existing_target_untouched()
    {
        string path = _folder.File("model.safetensors");
        File.WriteAllText(path, "old");
        Action write = () => SafetensorsWriter.Write(path, [SafetensorsWriteEntry.Float32("a", [2], new float[1])]);
        write.Should().Throw<ArgumentException>();
        File.ReadAllText(path).Should().Be("old");
        _folder.Entries().Should().Equal("model.safetensors");
    }

    [Fact]
    public void A_failed_rename_deletes_the_temporary_file()
    {
        // The target is a non-empty folder, so the final rename fails after all data was written.
        string path = _folder.File("taken");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "keep"), "x");
        Action write = () => SafetensorsWriter.Write(path, [SafetensorsWriteEntry.Float32("a", [1], new float[1])]);
        write.Should().Throw<IOException>();
        _folder.Entries().Should().Equal("taken");
        File.ReadAllText(Path.Combine(path, "keep")).Should().Be("x");
    }

    [Fact]
    public void Writing_replaces_an_existing_file()
    {
        string path = _folder.File("model.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsWriteEntry.Float32("old", [1], new float[] { 1 })]);
        SafetensorsWriter.Write(path, [SafetensorsWriteEntry.Float32("new", [1], new float[] { 2 })]);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        file.Tensors.Select(t => t.Name).Should().Equal("new");
        _folder.Entries().Should().Equal("model.safetensors");
    }

    [Fact]
    public void An_empty_file_round_trips()
    {
        string path = _folder.File("empty.safetensors");
        SafetensorsWriter.Write(path, []);
        HeaderOf(path).Should().Be("{}      ");
        using SafetensorsFile file = SafetensorsFile.Open(path);
        file.Tensors.Should().BeEmpty();
    }
}

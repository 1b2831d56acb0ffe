using System.Text;
using Glassbox.Loading;
using static Glassbox.Tests.Loading.RawSafetensors;

namespace Glassbox.Tests.Loading;

/// <summary>One bad input per validation rule; every message must name the file (and the tensor where one is at fault).</summary>
public sealed class SafetensorsValidationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static SafetensorsFormatException OpenFails(string path, string? tensor, params string[] fragments)
    {
        Action open = () => SafetensorsFile.Open(path).Dispose();
        SafetensorsFormatException e = open.Should().Throw<SafetensorsFormatException>().Which;
        e.FilePath.Should().Be(path);
        e.Message.Should().Contain(path);
        e.TensorName.Should().Be(tensor);
        if (tensor is not null) e.Message.Should().Contain($"tensor '{tensor}'");
        foreach (string fragment in fragments) e.Message.Should().Contain(fragment);
        return e;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void File_shorter_than_8_bytes(int length)
    {
        string path = _folder.File("short.safetensors");
        File.WriteAllBytes(path, new byte[length]);
        OpenFails(path, null, $"{length} bytes", "shorter than the 8-byte");
    }

    [Fact]
    public void Header_length_zero() =>
        OpenFails(Write(_folder, "", headerLength: 0), null, "header length is 0");

    [Fact]
    public void Header_length_absurdly_large() =>
        OpenFails(Write(_folder, "{}", headerLength: 100_000_001), null, "100000001", "limit");

    [Fact]
    public void Header_length_past_end_of_file() =>
        OpenFails(Write(_folder, "{}   ", headerLength: 64), null, "64 bytes", "past the end");

    [Fact]
    public void Header_not_utf8()
    {
        byte[] header = [.. "{\"a"u8, 0xFF, 0xFE, .. "\":{}}"u8];
        OpenFails(Write(_folder, header, []), null, "not valid UTF-8", "offset 3");
    }

    [Theory]
    [InlineData("{\"a\": ")]
    [InlineData("{\"a\":{},}")]
    [InlineData("{} trailing")]
    public void Header_not_json(string header) =>
        OpenFails(Write(_folder, header), null, "not valid JSON");

    [Theory]
    [InlineData("[]")]
    [InlineData(" {}")]
    [InlineData("\"x\"")]
    public void Header_not_an_object(string header) =>
        OpenFails(Write(_folder, header), null, "does not start with '{'");

    [Theory]
    [InlineData("5", "number")]
    [InlineData("[]", "array")]
    [InlineData("\"F32\"", "string")]
    [InlineData("null", "null")]
    public void Entry_not_an_object(string value, string kind) =>
        OpenFails(Write(_folder, $"{{\"w\":{value}}}"), "w", $"is a JSON {kind}", "expected an object");

    [Theory]
    [InlineData("{\"shape\":[1],\"data_offsets\":[0,4]}", "no 'dtype'")]
    [InlineData("{\"dtype\":\"F32\",\"data_offsets\":[0,4]}", "no 'shape'")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[1]}", "no 'data_offsets'")]
    public void Entry_missing_a_field(string entry, string problem) =>
        OpenFails(Write(_folder, $"{{\"w\":{entry}}}", dataLength: 4), "w", problem);

    [Theory]
    [InlineData("{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}", "'dtype' is a JSON number")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}", "'shape' is a JSON string")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}", "'shape' item 0 is -1")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[1,1.5],\"data_offsets\":[0,4]}", "'shape' item 1 is 1.5")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[1,\"2\"],\"data_offsets\":[0,4]}", "'shape' item 1 is \"2\"")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[18446744073709551616],\"data_offsets\":[0,4]}", "'shape' item 0 is 18446744073709551616")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":{\"begin\":0}}", "'data_offsets' is {\"begin\":0}")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}", "'data_offsets' is [0,4,8]")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}", "'data_offsets' is [0]")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}", "'data_offsets' is [-4,0]")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[\"0\",4]}", "'data_offsets' is [\"0\",4]")]
    [InlineData("{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}", "begin after end")]
    public void Entry_field_of_wrong_type_or_value(string entry, string problem) =>
        OpenFails(Write(_folder, $"{{\"w\":{entry}}}", dataLength: 4), "w", problem);

    [Fact]
    public void Entry_with_a_field_twice() =>
        OpenFails(Write(_folder, "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}", dataLength: 4), "w", "'dtype' twice");

    [Fact]
    public void Unknown_dtype() =>
        OpenFails(Write(_folder, $"{{{Entry("w", "F33", "[1]", 0, 4)}}}", dataLength: 4), "w", "unknown dtype 'F33'", "supported: F64, F32, F16, BF16");

    [Theory]
    [InlineData("U16")]
    [InlineData("F8_E4M3")]
    public void Format_dtype_that_Glassbox_does_not_support(string dtype) =>
        OpenFails(Write(_folder, $"{{{Entry("w", dtype, "[2]", 0, 2)}}}", dataLength: 2), "w", $"dtype '{dtype}' is defined by the safetensors format but not supported");

    [Fact]
    public void Dtype_names_are_case_sensitive() =>
        OpenFails(Write(_folder, $"{{{Entry("w", "f32", "[1]", 0, 4)}}}", dataLength: 4), "w", "unknown dtype 'f32'");

    [Theory]
    [InlineData("[\"a\"]", "'__metadata__' is a JSON array")]
    [InlineData("\"x\"", "'__metadata__' is a JSON string")]
    [InlineData("{\"n\":1}", "'__metadata__' entry 'n' is a JSON number")]
    [InlineData("{\"n\":[\"a\"]}", "'__metadata__' entry 'n' is a JSON array")]
    [InlineData("{\"n\":\"a\",\"n\":\"b\"}", "'__metadata__' has the key 'n' twice")]
    public void Metadata_not_a_string_to_string_object(string metadata, string problem) =>
        OpenFails(Write(_folder, $"{{\"__metadata__\":{metadata}}}"), null, problem);

    [Fact]
    public void Metadata_twice() =>
        OpenFails(Write(_folder, "{\"__metadata__\":{},\"__metadata__\":{}}"), null, "'__metadata__' twice");

    [Fact]
    public void Offsets_outside_the_data_section() =>
        OpenFails(Write(_folder, $"{{{Entry("w", "F32", "[2]", 4, 12)}}}", dataLength: 8), "w", "[4, 12]", "outside the data section", "8 bytes");

    [Fact]
    public void Byte_size_does_not_match_shape() =>
        OpenFails(Write(_folder, $"{{{Entry("w", "F32", "[2, 3]", 0, 20)}}}", dataLength: 20), "w", "span 20 bytes", "[2, 3] of F32 needs 24");

    [Theory]
    [InlineData("[2147483648, 2147483648]", "F32")]          // 2^62 elements fit in 64 bits, 2^64 bytes do not
    [InlineData("[4294967296, 4294967296, 4294967296]", "U8")] // elements overflow
    public void Byte_size_overflowing_64_bits(string shape, string dtype) =>
        OpenFails(Write(_folder, $"{{{Entry("w", dtype, shape, 0, 4)}}}", dataLength: 4), "w", "overflows 64 bits");

    [Fact]
    public void Overlapping_tensors()
    {
        string header = $"{{{Entry("a", "F32", "[2]", 0, 8)},{Entry("b", "F32", "[2]", 4, 12)}}}";
        OpenFails(Write(_folder, header, dataLength: 12), "b", "overlap tensor 'a'");
    }

    [Fact]
    public void Gap_between_tensors()
    {
        string header = $"{{{Entry("a", "F32", "[1]", 0, 4)},{Entry("b", "F32", "[1]", 8, 12)}}}";
        OpenFails(Write(_folder, header, dataLength: 12), "b", "gap", "[4, 8)");
    }

    [Fact]
    public void Gap_at_the_start_of_the_data_section() =>
        OpenFails(Write(_folder, $"{{{Entry("a", "F32", "[1]", 4, 8)}}}", dataLength: 8), "a", "gap", "[0, 4)");

    [Fact]
    public void Trailing_bytes_after_the_last_tensor() =>
        OpenFails(Write(_folder, $"{{{Entry("a", "F32", "[1]", 0, 4)}}}", dataLength: 6), "a", "2 trailing bytes");

    [Fact]
    public void Data_without_any_tensor() =>
        OpenFails(Write(_folder, "{}", dataLength: 3), null, "no tensors", "3 bytes");

    [Fact]
    public void Duplicate_tensor_keys()
    {
        string header = $"{{{Entry("a", "F32", "[1]", 0, 4)},{Entry("a", "F32", "[1]", 4, 8)}}}";
        OpenFails(Write(_folder, header, dataLength: 8), "a", "twice");
    }

    [Fact]
    public void Valid_edge_cases_open()
    {
        // Scalars, empty tensors sharing an offset, unknown entry fields, space padding, unaligned offsets.
        string header = "{" + string.Join(",",
            Entry("scalar", "U8", "[]", 0, 1),
            Entry("empty", "F32", "[0, 3]", 1, 1),
            Entry("empty2", "I64", "[0]", 1, 1),
            "\"odd\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[1,3],\"extra\":true}") + "}    ";
        string path = Write(_folder, Encoding.UTF8.GetBytes(header), [7, 0, 0x3C]);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        file.Tensors.Select(t => t.Name).Should().Equal("scalar", "empty", "empty2", "odd");
        file.ReadInt64("scalar").Should().Equal(7);
        file["scalar"].ElementCount.Should().Be(1);
        file.ReadFloat32("empty").Should().BeEmpty();
        file.ReadInt64("empty2").Should().BeEmpty();
        file.ReadFloat32("odd").Should().Equal(1f);
        file.Metadata.Should().BeEmpty();
    }

    [Fact]
    public void Unknown_tensor_name_lists_close_names()
    {
        string path = SharedFiles.Reference("gpt2-tiny/model.safetensors");
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Action read = () => file.ReadFloat32("wte.weight");
        read.Should().Throw<KeyNotFoundException>()
            .Which.Message.Should().Contain(path).And.Contain("'wte.weight'").And.Contain("'transformer.wte.weight'");
        Action index = () => _ = file["transformer.h.0.attn.c_atn.weight"];
        index.Should().Throw<KeyNotFoundException>()
            .Which.Message.Should().Contain("'transformer.h.0.attn.c_attn.weight'");
    }

    [Fact]
    public void Reading_with_the_wrong_dtype_family_names_the_tensor()
    {
        string path = SharedFiles.Reference("gpt2-tiny/cases.safetensors");
        using SafetensorsFile file = SafetensorsFile.Open(path);
        Action asFloat = () => file.ReadFloat32("case0.tokens");
        asFloat.Should().Throw<SafetensorsFormatException>()
            .Which.Message.Should().Contain(path).And.Contain("'case0.tokens'").And.Contain("I64").And.Contain("ReadInt64");
        Action asInt = () => file.ReadInt64("case0.logits");
        asInt.Should().Throw<SafetensorsFormatException>()
            .Which.Message.Should().Contain("'case0.logits'").And.Contain("F32").And.Contain("ReadFloat32");
    }

    [Fact]
    public void Destination_of_the_wrong_length_is_refused()
    {
        using SafetensorsFile file = SafetensorsFile.Open(SharedFiles.Reference("gpt2-tiny/model.safetensors"));
        Action read = () => file.ReadFloat32("transformer.wte.weight", new float[100]);
        read.Should().Throw<ArgumentException>().Which.Message.Should().Contain("transformer.wte.weight").And.Contain("6208");
    }

    [Fact]
    public void Reading_after_dispose_throws()
    {
        SafetensorsFile file = SafetensorsFile.Open(SharedFiles.Reference("gpt2-tiny/model.safetensors"));
        file.Dispose();
        Action read = () => file.ReadFloat32("transformer.wte.weight");
        read.Should().Throw<ObjectDisposedException>().Which.Message.Should().Contain("transformer.wte.weight");
    }
}

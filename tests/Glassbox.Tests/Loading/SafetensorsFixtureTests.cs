using System.Buffers.Binary;
using System.Text.Json;
using Glassbox.Loading;

namespace Glassbox.Tests.Loading;

/// <summary>Reads the shared fixture files and checks them against an independent, stream-based decode.</summary>
public sealed class SafetensorsFixtureTests
{
    public static TheoryData<string> SharedSafetensorsFiles()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.EnumerateFiles(SharedFiles.Root, "*.safetensors", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(SharedFiles.Root, path));
        return data;
    }

    [Fact]
    public void Gpt2_tiny_weights()
    {
        string path = SharedFiles.Reference("gpt2-tiny/model.safetensors");
        using SafetensorsFile file = SafetensorsFile.Open(path);

        file.Path.Should().Be(path);
        file.Metadata.Should().Equal(new Dictionary<string, string> { ["format"] = "pt" });
        file.Tensors.Should().HaveCount(28);
        file.Contains("transformer.wte.weight").Should().BeTrue();
        file.Contains("lm_head.weight").Should().BeFalse();

        SafetensorsTensorInfo wte = file["transformer.wte.weight"];
        wte.Should().Be(new SafetensorsTensorInfo("transformer.wte.weight", SafetensorsDType.F32, [97, 64], 408576, 433408));
        wte.ElementCount.Should().Be(97 * 64);

        float[] values = file.ReadFloat32("transformer.wte.weight");
        values.Should().HaveCount(97 * 64);
        values[..4].Should().Equal(-0.0022343711461871862f, -0.009931801818311214f, 0.003261473961174488f, -0.017633754760026932f);
        values[^1].Should().Be(-0.003343193791806698f);

        var span = new float[64];
        file.ReadFloat32("transformer.h.0.ln_1.weight", span);
        span[0].Should().Be(0.9165825247764587f);
        span[^1].Should().Be(0.8946487307548523f);
    }

    [Fact]
    public void Gpt2_tiny_cases()
    {
        using SafetensorsFile file = SafetensorsFile.Open(SharedFiles.Reference("gpt2-tiny/cases.safetensors"));

        file["case0.tokens"].DType.Should().Be(SafetensorsDType.I64);
        file["case0.tokens"].Shape.Should().Equal(1, 7);
        file.ReadInt64("case0.tokens").Should().Equal(90, 52, 92, 12, 21, 9, 3);
        // case1.tokens starts at an offset that is not a multiple of 8: unaligned reads must work.
        file["case1.tokens"].DataStart.Should().Be(398796);
        file.ReadInt64("case1.tokens").Should().Equal(27, 77, 85, 63, 90, 89, 65, 42, 89, 49, 61, 16, 14, 36, 42, 19, 3, 62, 9, 22, 35, 41);

        string[] hookNames = JsonSerializer.Deserialize<string[]>(file.Metadata["hook_names"])!;
        hookNames.Should().HaveCount(42);
        hookNames[0].Should().Be("hook_embed");
        hookNames[^1].Should().Be("unembed.hook_out");
        file.ReadFloat32("case0.logits").Should().HaveCount(7 * 97);
    }

    [Theory]
    [MemberData(nameof(SharedSafetensorsFiles))]
    public void Every_shared_file_reads_like_a_plain_stream_decode(string relativePath)
    {
        string path = Path.Combine(SharedFiles.Root, relativePath);
        using SafetensorsFile file = SafetensorsFile.Open(path);
        using FileStream stream = File.OpenRead(path);

        file.Tensors.Should().NotBeEmpty();
        file.Tensors.Should().BeInAscendingOrder(t => t.DataStart);
        file.Tensors[^1].DataEnd.Should().Be(stream.Length - file.DataSectionOffset);
        foreach (SafetensorsTensorInfo info in file.Tensors)
        {
            byte[] raw = new byte[info.ByteLength];
            stream.Position = file.DataSectionOffset + info.DataStart;
            stream.ReadExactly(raw);
            if (info.DType == SafetensorsDType.F32)
            {
                float[] expected = Enumerable.Range(0, raw.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan(i * 4))).ToArray();
                file.ReadFloat32(info.Name).Should().Equal(expected, info.Name);
            }
            else
            {
                info.DType.Should().Be(SafetensorsDType.I64, "the fixtures hold only F32 and I64");
                long[] expected = Enumerable.Range(0, raw.Length / 8).Select(i => BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(i * 8))).ToArray();
                file.ReadInt64(info.Name).Should().Equal(expected, info.Name);
            }
        }
    }

    [Fact]
    public void Model_folders_open_as_checkpoints()
    {
        using SafetensorsCheckpoint tiny = SafetensorsCheckpoint.Open(Path.Combine(SharedFiles.Root, "reference", "gpt2-tiny"));
        tiny.Path.Should().Be(SharedFiles.Reference("gpt2-tiny/model.safetensors"));
        tiny.Names.Should().HaveCount(28).And.Contain("transformer.wte.weight");
        tiny.FileOf("transformer.wte.weight").Should().Be(tiny.Path);
        tiny.Info("transformer.wte.weight").Shape.Should().Equal(97, 64);
        tiny.ReadFloat32("transformer.wte.weight")[0].Should().Be(-0.0022343711461871862f);

        using SafetensorsCheckpoint mini = SafetensorsCheckpoint.Open(SharedFiles.Models("gpt2-mini"));
        mini.Names.Should().NotBeEmpty();
        foreach (string name in mini.Names)
            mini.ReadFloat32(name).Should().HaveCount((int)mini.Info(name).ElementCount);
    }
}

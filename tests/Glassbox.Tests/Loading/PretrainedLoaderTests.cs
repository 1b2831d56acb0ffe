using System.Text.Json;
using Glassbox.Export;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Loading;

/// <summary>Hugging Face folders in every layout the loader accepts, and the errors for the ones it does not.</summary>
public class PretrainedLoaderTests
{
    static readonly string Tiny = SharedFiles.Reference("gpt2-tiny");
    static readonly IntTensor Tokens = IntTensor.FromSequence(3, 1, 4, 1, 5, 9, 2, 6);

    [Fact]
    public void WeightsWithoutTheTransformerPrefixLoadTheSame()
    {
        using var folder = CopyOf(Tiny, rename: n => n.StartsWith("transformer.", StringComparison.Ordinal) ? n["transformer.".Length..] : n);
        Logits(folder.Path).MaxAbsDifference(Logits(Tiny)).Should().Be(0f);
    }

    [Fact]
    public void ShardedCheckpointsLoadTheSame()
    {
        using var folder = new TempFolder();
        File.Copy(Path.Combine(Tiny, "config.json"), folder.File("config.json"));
        using var source = SafetensorsFile.Open(Path.Combine(Tiny, "model.safetensors"));
        var names = source.Tensors.Select(t => t.Name).ToList();
        var shards = new[] { names.Where((_, i) => i % 2 == 0).ToList(), names.Where((_, i) => i % 2 == 1).ToList() };
        var weightMap = new Dictionary<string, string>();
        for (int s = 0; s < 2; s++)
        {
            string file = $"model-0000{s + 1}-of-00002.safetensors";
            SafetensorsWriter.Write(folder.File(file), shards[s].Select(n => Entry(source, n, n, SafetensorsDType.F32)));
            foreach (var n in shards[s]) weightMap[n] = file;
        }
        File.WriteAllText(folder.File("model.safetensors.index.json"), JsonSerializer.Serialize(new { metadata = new { }, weight_map = weightMap }));
        Logits(folder.Path).MaxAbsDifference(Logits(Tiny)).Should().Be(0f);
    }

    [Theory]
    [InlineData(SafetensorsDType.F16)]
    [InlineData(SafetensorsDType.BF16)]
    public void HalfPrecisionCheckpointsAreWidenedExactly(SafetensorsDType dtype)
    {
        using var folder = CopyOf(Tiny, dtype: dtype);
        var half = HookedTransformer.FromPretrainedNoProcessing(folder.Path);
        var full = HookedTransformer.FromPretrainedNoProcessing(Tiny);
        half.Weights.WE.Should().Equal(full.Weights.WE.Select(v => Round(v, dtype)));
        half.Weights.Layers[1].WK.Should().Equal(full.Weights.Layers[1].WK.Select(v => Round(v, dtype)));
        Logits(folder.Path).MaxAbsDifference(Logits(Tiny)).Should().BeLessThan(0.05f, "half precision changes logits only slightly");
    }

    [Fact]
    public void AMissingTensorIsNamed()
    {
        using var folder = CopyOf(Tiny, skip: n => n == "transformer.h.1.mlp.c_fc.bias");
        var act = () => HookedTransformer.FromPretrained(folder.Path);
        act.Should().Throw<InvalidDataException>().WithMessage("*transformer.h.1.mlp.c_fc.bias*");
    }

    [Fact]
    public void AWronglyShapedTensorIsNamedWithBothShapes()
    {
        using var folder = CopyOf(Tiny);
        var config = File.ReadAllText(folder.File("config.json")).Replace("\"n_inner\": null", "\"n_inner\": 128");
        if (!config.Contains("\"n_inner\": 128"))
            config = config.TrimEnd().TrimEnd('}') + ", \"n_inner\": 128}";
        File.WriteAllText(folder.File("config.json"), config);
        var act = () => HookedTransformer.FromPretrained(folder.Path);
        act.Should().Throw<InvalidDataException>().WithMessage("*model.safetensors*c_fc.weight*[64, 256]*[64, 128]*");
    }

    [Fact]
    public void BadConfigsAreNamed()
    {
        using var folder = CopyOf(Tiny);
        File.WriteAllText(folder.File("config.json"), "{\"model_type\": \"gpt2\", \"n_embd\": \"wide\"}");
        var wrongType = () => HookedTransformer.FromPretrained(folder.Path);
        wrongType.Should().Throw<InvalidDataException>().WithMessage("*config.json*n_embd*integer*");

        File.WriteAllText(folder.File("config.json"), "{\"model_type\": \"bert\"}");
        var unsupported = () => HookedTransformer.FromPretrained(folder.Path);
        unsupported.Should().Throw<NotSupportedException>().WithMessage("*bert*");

        File.WriteAllText(folder.File("config.json"), "{not json");
        var broken = () => HookedTransformer.FromPretrained(folder.Path);
        broken.Should().Throw<InvalidDataException>().WithMessage("*config.json*not valid JSON*");

        File.Delete(folder.File("config.json"));
        var missing = () => HookedTransformer.FromPretrained(folder.Path);
        missing.Should().Throw<FileNotFoundException>().WithMessage("*config.json*");

        var noFolder = () => HookedTransformer.FromPretrained(folder.File("nowhere"));
        noFolder.Should().Throw<DirectoryNotFoundException>().WithMessage("*nowhere*");
    }

    static Tensor Logits(string folder) => HookedTransformer.FromPretrainedNoProcessing(folder).Run(Tokens);

    /// <summary>A copy of a model folder with tensors renamed, dropped or converted.</summary>
    static TempFolder CopyOf(string source, Func<string, string>? rename = null, Func<string, bool>? skip = null, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        var folder = new TempFolder();
        File.Copy(Path.Combine(source, "config.json"), folder.File("config.json"));
        using var file = SafetensorsFile.Open(Path.Combine(source, "model.safetensors"));
        var entries = file.Tensors.Where(t => skip is null || !skip(t.Name))
            .Select(t => Entry(file, t.Name, rename?.Invoke(t.Name) ?? t.Name, dtype)).ToList();
        SafetensorsWriter.Write(folder.File("model.safetensors"), entries);
        return folder;
    }

    static SafetensorsWriteEntry Entry(SafetensorsFile file, string name, string newName, SafetensorsDType dtype)
    {
        var info = file[name];
        var values = file.ReadFloat32(name);
        return dtype switch
        {
            SafetensorsDType.F32 => SafetensorsWriteEntry.Float32(newName, info.Shape, values),
            SafetensorsDType.F16 => new(newName, dtype, info.Shape, values.SelectMany(v => BitConverter.GetBytes(BitConverter.HalfToUInt16Bits((Half)v))).ToArray()),
            _ => new(newName, dtype, info.Shape, values.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(v) >> 16))).ToArray()),
        };
    }

    static float Round(float v, SafetensorsDType dtype) => dtype == SafetensorsDType.F16
        ? (float)(Half)v
        : BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(v) & 0xFFFF0000u);
}

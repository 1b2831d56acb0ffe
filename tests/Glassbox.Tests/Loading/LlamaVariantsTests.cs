using System.Text.Json.Nodes;
using Glassbox.Export;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Loading;

/// <summary>Mistral and Qwen2 folders share LLaMA's names; Qwen2 adds q/k/v biases, which must be used.</summary>
public class LlamaVariantsTests
{
    [Fact]
    public void Qwen2BiasesAreLoadedAndUsed()
    {
        var source = SharedFiles.Reference("llama-tiny");
        using var folder = new TempFolder();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")))!.AsObject();
        config["model_type"] = "qwen2";
        File.WriteAllText(folder.File("config.json"), config.ToJsonString());
        var rng = new Random(9);
        float[] Bias(int n) => Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var qBias = Bias(64);
        var kBias = Bias(32);
        var vBias = Bias(32);
        using (var file = SafetensorsFile.Open(Path.Combine(source, "model.safetensors")))
        {
            var entries = file.Tensors.Select(t => SafetensorsWriteEntry.Float32(t.Name, t.Shape, file.ReadFloat32(t.Name))).ToList();
            entries.Add(SafetensorsWriteEntry.Float32("model.layers.1.self_attn.q_proj.bias", [64], qBias));
            entries.Add(SafetensorsWriteEntry.Float32("model.layers.1.self_attn.k_proj.bias", [32], kBias));
            entries.Add(SafetensorsWriteEntry.Float32("model.layers.1.self_attn.v_proj.bias", [32], vBias));
            SafetensorsWriter.Write(folder.File("model.safetensors"), entries);
        }
        var qwen = HookedTransformer.FromPretrainedNoProcessing(folder.Path);
        var llama = HookedTransformer.FromPretrainedNoProcessing(source);
        qwen.Weights.Layers[1].BQ.Should().Equal(qBias);
        qwen.Weights.Layers[0].BQ.Should().OnlyContain(v => v == 0f, "layer 0 has no bias in the file");

        var tokens = IntTensor.FromSequence(3, 9, 27, 81);
        var (_, q) = qwen.RunWithCache(tokens, "blocks.1.attn.hook_v");
        var (_, l) = llama.RunWithCache(tokens, "blocks.1.attn.hook_v");
        using (q) using (l)
            for (int p = 0; p < 4; p++)
                for (int h = 0; h < 2; h++)
                    for (int e = 0; e < 16; e++)
                        q["v", 1][0, p, h, e].Should().BeApproximately(l["v", 1][0, p, h, e] + vBias[h * 16 + e], 1e-5f);
    }

    [Fact]
    public void MistralLoadsUnderLlamaNames()
    {
        var source = SharedFiles.Reference("llama-tiny");
        using var folder = new TempFolder();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")))!.AsObject();
        config["model_type"] = "mistral";
        File.WriteAllText(folder.File("config.json"), config.ToJsonString());
        File.Copy(Path.Combine(source, "model.safetensors"), folder.File("model.safetensors"));
        var tokens = IntTensor.FromSequence(1, 2, 3);
        HookedTransformer.FromPretrainedNoProcessing(folder.Path).Run(tokens)
            .MaxAbsDifference(HookedTransformer.FromPretrainedNoProcessing(source).Run(tokens)).Should().Be(0f);
    }

    [Fact]
    public void RopeScalingIsRefusedRatherThanIgnored()
    {
        var source = SharedFiles.Reference("llama-tiny");
        using var folder = new TempFolder();
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(source, "config.json")))!.AsObject();
        config["rope_scaling"] = new JsonObject { ["type"] = "linear", ["factor"] = 2.0 };
        File.WriteAllText(folder.File("config.json"), config.ToJsonString());
        File.Copy(Path.Combine(source, "model.safetensors"), folder.File("model.safetensors"));
        var act = () => HookedTransformer.FromPretrained(folder.Path);
        act.Should().Throw<NotSupportedException>().WithMessage("*config.json*rope_scaling*");
    }
}

using System.Reflection;
using System.Text.Json;
using Glassbox.Hooks;
using Glassbox.Models;

namespace Glassbox.Tests.Cli;

public class InspectCommandTests
{
    static readonly Lazy<HookedTransformer> Tiny = new(() => HookedTransformer.FromPretrainedNoProcessing(Cli.TinyModel));

    static JsonElement Json(params string[] args)
    {
        var result = Cli.Run(["inspect", .. args, "--json"]).ShouldSucceed();
        return JsonDocument.Parse(result.Out).RootElement;
    }

    static int[] Shape(JsonElement root, string hook)
        => root.GetProperty("hook_points").EnumerateArray()
            .Single(h => h.GetProperty("name").GetString() == hook)
            .GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray();

    [Fact]
    public void TextListsConfigSizesAndEveryHookPointWithItsShape()
    {
        var text = Cli.Run("inspect", Cli.TinyModel).ShouldSucceed().Out;
        var lines = text.Split('\n');

        text.Should().Contain("gpt2-tiny").And.Contain("108,352").And.Contain("433,408 bytes");
        lines.Should().Contain(l => l.Contains("n_layers") && l.TrimEnd().EndsWith(" 2"));
        lines.Should().Contain(l => l.Contains("blocks.0.attn.hook_pattern") && l.Contains("AttentionPattern") && l.Contains("[1, 4, 16, 16]"));
        lines.Should().Contain(l => l.Contains("blocks.1.attn.hook_result") && l.Contains("gated"));
        foreach (var point in Tiny.Value.HookPoints.Points)
            lines.Should().ContainSingle(l => l.Contains($" {point.Name} "), $"{point.Name} has one row");
        text.Should().Contain($"{Tiny.Value.HookPoints.Points.Count} in firing order");
    }

    [Fact]
    public void JsonHasTheModelsHookPointsInFiringOrderWithShapesAndSizes()
    {
        var root = Json(Cli.TinyModel);
        var model = Tiny.Value;

        root.GetProperty("hook_point_count").GetInt32().Should().Be(model.HookPoints.Points.Count);
        root.GetProperty("hook_points").EnumerateArray().Select(h => h.GetProperty("name").GetString())
            .Should().Equal(model.HookPoints.Points.Select(p => p.Name));
        Shape(root, "blocks.0.attn.hook_pattern").Should().Equal(1, 4, 16, 16);
        Shape(root, "hook_embed").Should().Equal(1, 16, 64);
        Shape(root, "blocks.1.mlp.hook_post").Should().Equal(1, 16, 256);
        Shape(root, "blocks.0.attn.hook_q").Should().Equal(1, 16, 4, 16);
        Shape(root, "ln_final.hook_scale").Should().Equal(1, 16, 1);

        var pattern = root.GetProperty("hook_points").EnumerateArray().Single(h => h.GetProperty("name").GetString() == "blocks.1.attn.hook_pattern");
        pattern.GetProperty("layer").GetInt32().Should().Be(1);
        pattern.GetProperty("kind").GetString().Should().Be("AttentionPattern");
        pattern.GetProperty("gated").GetBoolean().Should().BeFalse();
        pattern.GetProperty("bytes").GetInt64().Should().Be(4 * 16 * 16 * 4);

        root.GetProperty("parameter_count").GetInt64().Should().Be(model.Config.ParameterCount);
        root.GetProperty("weight_bytes").GetInt64().Should().Be(model.Config.ParameterCount * 4);
        root.GetProperty("cache_bytes").GetProperty("default").GetInt64().Should().Be(model.EstimateCacheBytes(HookFilter.All, 1, 16));
        root.GetProperty("cache_bytes").GetProperty("everything").GetInt64().Should().Be(model.EstimateCacheBytes(HookFilter.Everything, 1, 16));
        root.GetProperty("checkpoint").GetProperty("files").EnumerateArray().Select(f => f.GetString()).Should().Equal("model.safetensors");
    }

    [Fact]
    public void JsonConfigHasEveryModelConfigField()
    {
        var config = Json(Cli.TinyModel).GetProperty("config");
        var settable = typeof(ModelConfig).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToList();

        config.EnumerateObject().Should().HaveCount(settable.Count);
        config.GetProperty("n_layers").GetInt32().Should().Be(2);
        config.GetProperty("d_model").GetInt32().Should().Be(64);
        config.GetProperty("d_head").GetInt32().Should().Be(16);
        config.GetProperty("d_vocab").GetInt32().Should().Be(97);
        config.GetProperty("act_fn").GetString().Should().Be("gelu_new");
        config.GetProperty("normalization").GetString().Should().Be("LN");
        config.GetProperty("positional_embedding").GetString().Should().Be("standard");
        config.GetProperty("eps").GetSingle().Should().Be(1e-5f);
    }

    [Fact]
    public void BatchAndSeqChangeTheShapes()
    {
        var root = Json(Cli.TinyModel, "--batch", "2", "--seq", "5");
        Shape(root, "blocks.0.attn.hook_pattern").Should().Equal(2, 4, 5, 5);
        Shape(root, "blocks.0.hook_resid_pre").Should().Equal(2, 5, 64);
    }

    [Fact]
    public void Gpt2SmallPresetHasItsParameterCount()
    {
        var root = Json("--preset", "gpt2-small");
        root.GetProperty("parameter_count").GetInt64().Should().Be(124_439_808);
        root.GetProperty("weight_bytes").GetInt64().Should().Be(124_439_808L * 4);
        root.GetProperty("checkpoint").ValueKind.Should().Be(JsonValueKind.Null);
        Shape(root, "unembed.hook_out").Should().Equal(1, 16, 50257);

        Cli.Run("inspect", "--preset", "gpt2-small").ShouldSucceed().Out.Should().Contain("124,439,808");
    }

    [Fact]
    public void TinyPresetHasTheFixturesShape()
    {
        var preset = Json("--preset", "gpt2-tiny");
        var folder = Json(Cli.TinyModel);
        preset.GetProperty("hook_points").GetRawText().Should().Be(folder.GetProperty("hook_points").GetRawText());
        preset.GetProperty("config").GetRawText().Should().Be(folder.GetProperty("config").GetRawText());
    }

    [Fact]
    public void Llama2cCheckpointShowsTheConfigOfItsHeader()
    {
        string bin = SharedFiles.Reference("stories260K/stories260K.bin");
        var root = Json(bin);
        var model = Glassbox.Loading.Llama2cCheckpoint.Load(bin);

        root.GetProperty("model_name").GetString().Should().Be("stories260K");
        root.GetProperty("file").GetString().Should().Be(bin);
        root.GetProperty("folder").ValueKind.Should().Be(JsonValueKind.Null);
        root.GetProperty("parameter_count").GetInt64().Should().Be(model.Config.ParameterCount);
        var config = root.GetProperty("config");
        config.GetProperty("n_layers").GetInt32().Should().Be(5);
        config.GetProperty("d_model").GetInt32().Should().Be(64);
        config.GetProperty("n_key_value_heads").GetInt32().Should().Be(4);
        config.GetProperty("d_mlp").GetInt32().Should().Be(172);
        config.GetProperty("d_vocab").GetInt32().Should().Be(512);
        config.GetProperty("normalization").GetString().Should().Be("RMS");
        config.GetProperty("positional_embedding").GetString().Should().Be("rotary");
        root.GetProperty("hook_points").EnumerateArray().Select(h => h.GetProperty("name").GetString())
            .Should().Equal(model.HookPoints.Points.Select(p => p.Name));

        var checkpoint = root.GetProperty("checkpoint");
        checkpoint.GetProperty("format").GetString().Should().Be("llama2.c");
        checkpoint.GetProperty("files").EnumerateArray().Select(f => f.GetString()).Should().Equal("stories260K.bin");
        checkpoint.GetProperty("bytes").GetInt64().Should().Be(new FileInfo(bin).Length);
        checkpoint.GetProperty("tensors").GetInt32().Should().Be(13, "shared classifier: no wcls");

        // The Hugging Face folder of the same model has the same hook points and shapes.
        var folder = Json(SharedFiles.Reference("stories260K"));
        folder.GetProperty("hook_points").GetRawText().Should().Be(root.GetProperty("hook_points").GetRawText());
        folder.GetProperty("checkpoint").GetProperty("format").GetString().Should().Be("safetensors");

        var text = Cli.Run("inspect", bin).ShouldSucceed().Out;
        text.Should().Contain("stories260K.bin: llama2.c v0, 13 float32 arrays, 1,056,540 bytes").And.Contain("blocks.4.attn.hook_rot_k");
    }

    [Fact]
    public void HelpDescribesTheOptions()
    {
        var help = Cli.Run("inspect", "--help").ShouldSucceed().Out;
        help.Should().Contain("glassbox inspect").And.Contain("--preset").And.Contain("--seq").And.Contain("--json").And.Contain("gpt2-small");
    }
}

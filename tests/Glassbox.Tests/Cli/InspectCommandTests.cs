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
    public void HelpDescribesTheOptions()
    {
        var help = Cli.Run("inspect", "--help").ShouldSucceed().Out;
        help.Should().Contain("glassbox inspect").And.Contain("--preset").And.Contain("--seq").And.Contain("--json").And.Contain("gpt2-small");
    }
}

using System.Text.Json;
using Glassbox.Cli;
using Glassbox.Hooks;
using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Cli;

public sealed class CacheCommandTests : IDisposable
{
    readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    static string[] HookNames(SafetensorsFile file) => JsonSerializer.Deserialize<string[]>(file.Metadata["hook_names"])!;

    static float[] Read(SafetensorsFile file, string name, out long[] shape)
    {
        var info = file[name];
        info.DType.Should().Be(SafetensorsDType.F32, $"{name} is float32");
        shape = info.Shape;
        return file.ReadFloat32(name);
    }

    [Fact]
    public void WritesWhatAnInProcessRunWithCacheRecords()
    {
        string output = _folder.File("cache.safetensors");
        var result = Cli.Run("cache", Cli.TinyModel, "--tokens", "1,2,3;4,5,6", "--out", output).ShouldSucceed();
        result.Out.Should().Contain(output).And.Contain("tensors");
        result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle();

        var model = HookedTransformer.FromPretrained(Cli.TinyModel);
        var tokens = IntTensor.FromRows([[1, 2, 3], [4, 5, 6]]);
        var (logits, cache) = model.RunWithCache(tokens);
        using (cache)
        using (var file = SafetensorsFile.Open(output))
        {
            HookNames(file).Should().Equal(cache.Keys, "hook_names lists the recorded points in firing order");
            file.Tensors.Select(t => t.Name).Should().Equal([.. cache.Keys, "logits", "tokens"]);
            foreach (var (name, expected) in cache)
            {
                Read(file, name, out var shape).Should().Equal(expected.ToArray(), $"{name} is written as recorded");
                shape.Should().Equal(expected.Shape.ToArray().Select(d => (long)d));
            }
            Read(file, "logits", out var logitShape).Should().Equal(logits.ToArray());
            logitShape.Should().Equal(2L, 3L, 97L);

            file["tokens"].DType.Should().Be(SafetensorsDType.I64);
            file["tokens"].Shape.Should().Equal(2L, 3L);
            file.ReadInt64("tokens").Should().Equal(1L, 2L, 3L, 4L, 5L, 6L);

            file.Metadata["model_name"].Should().Be("gpt2-tiny");
            file.Metadata["glassbox_version"].Should().NotBeNullOrWhiteSpace();
            file.Metadata["processing"].Should().Be("transformer_lens_defaults");
        }
    }

    [Fact]
    public void NamesSelectsByGlobAndExactNameInFiringOrder()
    {
        string output = _folder.File("patterns.safetensors");
        Cli.Run("cache", Cli.TinyModel, "--tokens", "5,6,7,8", "--names", "blocks.*.attn.hook_pattern, hook_embed", "--out", output).ShouldSucceed();

        using var file = SafetensorsFile.Open(output);
        string[] expected = ["hook_embed", "blocks.0.attn.hook_pattern", "blocks.1.attn.hook_pattern"];
        HookNames(file).Should().Equal(expected);
        file.Tensors.Select(t => t.Name).Should().Equal([.. expected, "logits", "tokens"]);
        file["blocks.1.attn.hook_pattern"].Shape.Should().Equal(1L, 4L, 4L, 4L);
    }

    [Fact]
    public void NamesCanSelectGatedPoints()
    {
        string output = _folder.File("result.safetensors");
        Cli.Run("cache", Cli.TinyModel, "--tokens", "1,2", "--names", "blocks.0.attn.hook_result", "--out", output).ShouldSucceed();

        using var file = SafetensorsFile.Open(output);
        HookNames(file).Should().Equal("blocks.0.attn.hook_result");
        file["blocks.0.attn.hook_result"].Shape.Should().Equal(1L, 2L, 4L, 64L);
    }

    [Fact]
    public void NoProcessingReproducesTheReferenceActivations()
    {
        var reference = ReferenceCase.Load("gpt2-tiny")[0];
        string tokens = string.Join(";", Enumerable.Range(0, reference.Tokens.Dim(0))
            .Select(b => string.Join(",", reference.Tokens.Row(b).ToArray())));
        string output = _folder.File("raw.safetensors");
        Cli.Run("cache", Cli.TinyModel, "--tokens", tokens, "--no-processing", "--out", output).ShouldSucceed();

        using var file = SafetensorsFile.Open(output);
        file.Metadata["processing"].Should().Be("none");
        var written = HookNames(file);
        written.Should().HaveCountGreaterThan(30);
        foreach (var name in written.Where(reference.Hooks.ContainsKey))
        {
            var values = Read(file, name, out var shape);
            Close.Assert(Tensor.FromArray(values, shape.Select(d => (int)d).ToArray()), reference.Hooks[name], name);
        }
        var logits = Read(file, "logits", out var logitShape);
        Close.Assert(Tensor.FromArray(logits, logitShape.Select(d => (int)d).ToArray()), reference.Logits, "logits");
    }

    [Fact]
    public void ReplacesAnExistingFile()
    {
        string output = _folder.File("cache.safetensors");
        File.WriteAllText(output, "old");
        Cli.Run("cache", Cli.TinyModel, "--tokens", "1", "--names", "hook_embed", "--out", output).ShouldSucceed();

        using var file = SafetensorsFile.Open(output);
        HookNames(file).Should().Equal("hook_embed");
        _folder.Entries().Should().Equal("cache.safetensors");
    }

    [Fact]
    public void CancellationStopsBeforeWriting()
    {
        string output = _folder.File("cache.safetensors");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var result = Cli.Run(cancelled.Token, "cache", Cli.TinyModel, "--tokens", "1,2", "--out", output);

        result.ShouldFailWith(ExitCodes.Cancelled).Should().Be("glassbox: cancelled");
        _folder.Entries().Should().BeEmpty();
    }

    [Fact]
    public void HelpDescribesTheOptions()
    {
        var help = Cli.Run("cache", "--help").ShouldSucceed().Out;
        help.Should().Contain("glassbox cache").And.Contain("--tokens").And.Contain("--names").And.Contain("--no-processing").And.Contain("--out");
    }
}

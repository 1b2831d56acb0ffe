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

    static string StoriesBin => SharedFiles.Reference("stories260K/stories260K.bin");

    [Fact]
    public void Llama2cCheckpointWithoutProcessingReproducesTheReferenceActivations()
    {
        var reference = ReferenceCase.Load("stories260K")[0];
        string output = _folder.File("stories.safetensors");
        Cli.Run("cache", StoriesBin, "--tokens", string.Join(",", reference.Tokens.Row(0).ToArray()), "--no-processing", "--out", output).ShouldSucceed();

        using var file = SafetensorsFile.Open(output);
        file.Metadata["model_name"].Should().Be("stories260K");
        file.Metadata["processing"].Should().Be("none");
        var written = HookNames(file);
        written.Where(reference.Hooks.ContainsKey).Should().HaveCountGreaterThan(30);
        foreach (var name in written.Where(reference.Hooks.ContainsKey))
        {
            var values = Read(file, name, out var shape);
            Close.Assert(Tensor.FromArray(values, shape.Select(d => (int)d).ToArray()), reference.Hooks[name], name, atol: 1e-4f);
        }
        var logits = Read(file, "logits", out var logitShape);
        Close.Assert(Tensor.FromArray(logits, logitShape.Select(d => (int)d).ToArray()), reference.Logits, "logits", atol: 1e-4f);
    }

    [Fact]
    public void Llama2cCheckpointIsProcessedByDefault()
    {
        string output = _folder.File("processed.safetensors");
        Cli.Run("cache", StoriesBin, "--tokens", "1,403,407", "--names", "blocks.*.hook_resid_post", "--out", output).ShouldSucceed();

        var model = Llama2cCheckpoint.Load(StoriesBin, processing: ProcessingOptions.Default);
        var (logits, cache) = model.RunWithCache(IntTensor.FromRows([[1, 403, 407]]), HookFilter.Parse("blocks.*.hook_resid_post"));
        using (cache)
        using (var file = SafetensorsFile.Open(output))
        {
            file.Metadata["processing"].Should().Be("transformer_lens_defaults");
            HookNames(file).Should().Equal(cache.Keys);
            foreach (var (name, expected) in cache)
                Read(file, name, out _).Should().Equal(expected.ToArray(), name);
            Read(file, "logits", out _).Should().Equal(logits.ToArray());
        }
    }

    [Fact]
    public void PromptTextIsEncodedWithTheModelsTokenizer()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(SharedFiles.Reference("stories260K/greedy.json")));
        var prompt = doc.RootElement.GetProperty("prompts")[1];
        long[] expected = prompt.GetProperty("tokens").EnumerateArray().Select(x => (long)x.GetInt32()).ToArray();
        string fromText = _folder.File("text.safetensors"), fromIds = _folder.File("ids.safetensors");

        var result = Cli.Run("cache", StoriesBin, "--prompt", prompt.GetProperty("text").GetString()!, "--names", "hook_embed", "--out", fromText).ShouldSucceed();
        result.Out.Should().Contain($"tokens [1, {expected.Length}]");
        Cli.Run("cache", StoriesBin, "--tokens", string.Join(",", expected), "--names", "hook_embed", "--out", fromIds).ShouldSucceed();

        using var text = SafetensorsFile.Open(fromText);
        using var ids = SafetensorsFile.Open(fromIds);
        text.ReadInt64("tokens").Should().Equal(expected, "BOS, then llama2.c's encode");
        text["tokens"].Shape.Should().Equal(1L, expected.Length);
        text.ReadFloat32("logits").Should().Equal(ids.ReadFloat32("logits"));
        text.ReadFloat32("hook_embed").Should().Equal(ids.ReadFloat32("hook_embed"));

        string noBos = _folder.File("nobos.safetensors");
        Cli.Run("cache", StoriesBin, "--prompt", prompt.GetProperty("text").GetString()!, "--no-bos", "--names", "hook_embed", "--out", noBos).ShouldSucceed();
        using var withoutBos = SafetensorsFile.Open(noBos);
        withoutBos.ReadInt64("tokens").Should().Equal(expected[1..]);
    }

    [Fact]
    public void HelpDescribesTheOptions()
    {
        var help = Cli.Run("cache", "--help").ShouldSucceed().Out;
        help.Should().Contain("glassbox cache").And.Contain("--tokens").And.Contain("--names").And.Contain("--no-processing").And.Contain("--out");
    }
}

using System.Text.Json;
using Glassbox.Hooks;
using Glassbox.Models;

namespace Glassbox.Tests.Cli;

/// <summary>
/// Bench on the gpt2-tiny preset (the reference fixture's shape, 108k parameters): gpt2-small's
/// random weights alone take seconds to build. Only the output's shape is tested, never the speed.
/// </summary>
public class BenchCommandTests
{
    [Fact]
    public void PrintsTimingsAsJson()
    {
        var result = Cli.Run("bench", "--preset", "gpt2-tiny", "--seq", "8", "--runs", "3", "--warmup", "0").ShouldSucceed();
        var root = JsonDocument.Parse(result.Out).RootElement;

        root.GetProperty("preset").GetString().Should().Be("gpt2-tiny");
        root.GetProperty("batch").GetInt32().Should().Be(1);
        root.GetProperty("seq").GetInt32().Should().Be(8);
        root.GetProperty("cache").GetString().Should().Be("none");
        root.GetProperty("runs").GetInt32().Should().Be(3);
        root.GetProperty("threads").GetInt32().Should().Be(Environment.ProcessorCount);
        double min = root.GetProperty("min_ms").GetDouble(), median = root.GetProperty("median_ms").GetDouble();
        double mean = root.GetProperty("mean_ms").GetDouble(), max = root.GetProperty("max_ms").GetDouble();
        min.Should().BeGreaterThan(0);
        median.Should().BeInRange(min, max);
        mean.Should().BeInRange(min, max);
        root.GetProperty("tokens_per_second").GetDouble().Should().BeApproximately(8 / (median / 1000), 8 / (median / 1000) * 0.01 + 0.1);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("everything")]
    public void CacheModesRecordActivations(string mode)
    {
        var result = Cli.Run("bench", "--preset", "gpt2-tiny", "--batch", "2", "--seq", "4", "--cache", mode, "--runs", "1", "--warmup", "0").ShouldSucceed();
        var root = JsonDocument.Parse(result.Out).RootElement;

        var config = ModelConfig.Presets["gpt2-tiny"];
        var filter = mode == "all" ? HookFilter.All : HookFilter.Everything;
        root.GetProperty("cache").GetString().Should().Be(mode);
        root.GetProperty("cache_bytes").GetInt64().Should().Be(HookPointTable.For(config).EstimateBytes(filter, 2, 4));
    }
}

using Glassbox.Models;

namespace Glassbox.Cli;

/// <summary>The <c>--preset</c> names: exactly <see cref="ModelConfig.Presets"/>.</summary>
internal static class ModelPresets
{
    public static string Names => string.Join(", ", ModelConfig.Presets.Keys.Order(StringComparer.Ordinal));

    public static ModelConfig Resolve(string name)
        => ModelConfig.Presets.TryGetValue(name.Trim(), out var config)
            ? config
            : throw new UsageException($"unknown preset '{name}'; presets: {Names}.");
}

using System.Reflection;
using System.Text.Json;
using Glassbox.Models;

namespace Glassbox.Cli;

/// <summary>
/// Every settable field of a <see cref="ModelConfig"/>, named like TransformerLens's
/// <c>HookedTransformerConfig</c> (snake_case). Found by reflection so a field added to the config
/// shows up in <c>inspect</c> without touching the CLI.
/// </summary>
internal static class ConfigFields
{
    static readonly PropertyInfo[] Properties = typeof(ModelConfig)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
        .OrderBy(p => p.MetadataToken)
        .ToArray();

    /// <summary>(name, value) pairs in declaration order; enum values as TransformerLens spells them.</summary>
    public static IEnumerable<(string Name, object? Value)> Of(ModelConfig config)
        => Properties.Select(p => (JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), Normalize(p.GetValue(config))));

    static object? Normalize(object? value) => value switch
    {
        // LN, LNPre, RMS, RMSPre: TransformerLens's own spellings.
        NormalizationType.None => "None",
        NormalizationType n => n.ToString(),
        Enum e => JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString()),
        _ => value,
    };
}

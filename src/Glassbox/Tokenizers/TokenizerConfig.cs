using System.Text.Json;

namespace Glassbox.Tokenizers;

/// <summary>
/// What Glassbox reads from a Hugging Face <c>tokenizer_config.json</c> beside the tokenizer files: the
/// special tokens' strings and whether BOS/EOS are added. A token field that is absent is null here and
/// leaves the tokenizer's own default; one set to JSON null is <see cref="SpecialTokenSetting.Explicit"/> with no content.
/// </summary>
internal sealed record TokenizerConfig
{
    public SpecialTokenSetting Bos { get; init; }
    public SpecialTokenSetting Eos { get; init; }
    public SpecialTokenSetting Pad { get; init; }
    public SpecialTokenSetting Unk { get; init; }
    public bool? AddBosToken { get; init; }
    public bool? AddEosToken { get; init; }

    public static readonly TokenizerConfig None = new();

    /// <summary>The tokenizer_config.json in <paramref name="folder"/>, or <see cref="None"/> when there is none.</summary>
    public static TokenizerConfig ReadFromFolder(string folder)
    {
        string path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path)) return None;
        using JsonDocument doc = JsonFile.Parse(path);
        JsonElement root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, $"must be a JSON object, not {JsonFile.Describe(root)}.");
        return new TokenizerConfig
        {
            Bos = Token(root, "bos_token", path),
            Eos = Token(root, "eos_token", path),
            Pad = Token(root, "pad_token", path),
            Unk = Token(root, "unk_token", path),
            AddBosToken = Flag(root, "add_bos_token", path),
            AddEosToken = Flag(root, "add_eos_token", path),
        };
    }

    private static SpecialTokenSetting Token(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out JsonElement value)) return default;
        return value.ValueKind switch
        {
            JsonValueKind.Null => new SpecialTokenSetting(true, null),
            JsonValueKind.String => new SpecialTokenSetting(true, value.GetString()),
            JsonValueKind.Object when value.TryGetProperty("content", out JsonElement c) && c.ValueKind == JsonValueKind.String
                => new SpecialTokenSetting(true, c.GetString()),
            _ => throw new TokenizerFormatException(path, $"'{name}' must be a string, an object with \"content\", or null, not {JsonFile.Describe(value)}."),
        };
    }

    private static bool? Flag(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null) return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new TokenizerFormatException(path, $"'{name}' must be true or false, not {JsonFile.Describe(value)}."),
        };
    }
}

/// <summary>A special-token field of tokenizer_config.json: whether it was given, and its string.</summary>
internal readonly record struct SpecialTokenSetting(bool Explicit, string? Content)
{
    /// <summary>The id the setting names (via <paramref name="lookup"/>), or <paramref name="fallback"/> when the field was absent.</summary>
    public int? Resolve(Func<string, int?> lookup, int? fallback) =>
        !Explicit ? fallback : Content is null ? null : lookup(Content);
}

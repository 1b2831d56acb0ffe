using System.Text.Json;

namespace Glassbox.Tokenizers;

/// <summary>Reads a JSON tokenizer file, turning every failure into an error that names the file.</summary>
internal static class JsonFile
{
    public static JsonDocument Parse(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"Tokenizer file '{path}' does not exist.", path, e);
        }
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(path, $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }
    }

    /// <summary>A JSON object mapping token strings to non-negative ids (vocab.json, encoder.json, a BPE model's vocab).</summary>
    public static Dictionary<string, int> ReadVocabulary(JsonElement element, string path, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new TokenizerFormatException(path, $"{what} must be a JSON object mapping tokens to ids, not {Describe(element)}.");
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                throw new TokenizerFormatException(path, $"{what}: the id of '{entry.Name}' must be a non-negative integer, not {entry.Value.GetRawText()}.");
            vocab[entry.Name] = id;
        }
        return vocab;
    }

    public static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {element.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };
}

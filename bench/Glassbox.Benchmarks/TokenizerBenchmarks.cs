using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Glassbox.Tokenizers;

namespace Glassbox.Benchmarks;

/// <summary>
/// Encoding the 2 KB English text of the tokenizer reference cases (case 60) with each reference tokenizer:
/// the same text again (words cached) and a fresh variant each time (every word new to the cache), plus
/// decoding its ids. Needs the shared fixtures beside the repository (or GLASSBOX_SHARED).
/// Run: dotnet run -c Release --project bench/Glassbox.Benchmarks -- --filter '*TokenizerBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class TokenizerBenchmarks
{
    ITokenizer _tokenizer = null!;
    string _text = "";
    string[] _variants = [];
    IReadOnlyList<int> _ids = [];
    int _next;

    [Params("gpt2", "gpt2-tokenizer-json", "llama-sp-tokenizer-json", "llama3-tokenizer-json", "llama2c-tok32000")]
    public string Folder { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        string root = Path.Combine(LocateShared(), "reference", "tokenizers");
        _tokenizer = TokenizerLoader.Load(Path.Combine(root, Folder));
        using JsonDocument cases = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(root, "gpt2", "cases.json")));
        _text = cases.RootElement[60].GetProperty("text").GetString()!;
        _ids = _tokenizer.Encode(_text);
        // Variants whose words are all new: each word gets a random suffix.
        var rng = new Random(1);
        string[] words = _text.Split(' ');
        _variants = Enumerable.Range(0, 4096)
            .Select(_ => string.Join(' ', words.Select(w => w + (char)('a' + rng.Next(26)) + (char)('a' + rng.Next(26)))))
            .ToArray();
    }

    [Benchmark]
    public int EncodeSameText() => _tokenizer.Encode(_text).Count;

    [Benchmark]
    public int EncodeFreshWords() => _tokenizer.Encode(_variants[_next++ % _variants.Length]).Count;

    [Benchmark]
    public int Decode() => _tokenizer.Decode(_ids).Length;

    private static string LocateShared()
    {
        string? overridden = Environment.GetEnvironmentVariable("GLASSBOX_SHARED");
        if (!string.IsNullOrEmpty(overridden)) return overridden;
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(dir.FullName, "shared"), Path.Combine(dir.FullName, "..", "shared") })
            {
                if (Directory.Exists(Path.Combine(candidate, "reference", "tokenizers"))) return candidate;
            }
        }
        throw new DirectoryNotFoundException("No shared/reference/tokenizers beside the repository; set GLASSBOX_SHARED.");
    }
}

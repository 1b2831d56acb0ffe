namespace Glassbox.Tokenizers;

/// <summary>
/// Finds and loads the tokenizer in a model folder, or from a single file. In a folder, the first of these
/// that is present wins: <c>tokenizer.json</c> (Hugging Face), <c>vocab.json</c> + <c>merges.txt</c> (GPT-2),
/// <c>encoder.json</c> + <c>vocab.bpe</c> (OpenAI GPT-2), <c>tokenizer.bin</c>, then <c>tok*.bin</c> (llama2.c).
/// </summary>
public static class TokenizerLoader
{
    private const string LookedFor = "tokenizer.json, vocab.json + merges.txt, encoder.json + vocab.bpe, tokenizer.bin or tok*.bin";

    /// <summary>
    /// Loads the tokenizer in <paramref name="fileOrFolder"/> (a folder, or one of the files named above; for a
    /// GPT-2 vocabulary or merges file its partner is taken from the same folder). Fails with an error naming
    /// the folder and what was looked for when nothing fits, and with one naming the file when a file is bad.
    /// </summary>
    public static ITokenizer Load(string fileOrFolder)
    {
        ArgumentNullException.ThrowIfNull(fileOrFolder);
        if (File.Exists(fileOrFolder)) return LoadFile(fileOrFolder);
        if (!Directory.Exists(fileOrFolder))
            throw new DirectoryNotFoundException($"Tokenizer path '{fileOrFolder}' is neither a file nor a folder.");
        return TryLoadFolder(fileOrFolder, out ITokenizer? tokenizer, out string? why)
            ? tokenizer!
            : throw new FileNotFoundException($"No tokenizer in folder '{fileOrFolder}': looked for {LookedFor}. {why}".TrimEnd());
    }

    /// <summary>
    /// Loads the tokenizer in <paramref name="folder"/> if it has one. Returns false when the folder does not
    /// exist or holds none of the files looked for; a tokenizer file that is there but bad still throws.
    /// </summary>
    public static bool TryLoad(string folder, out ITokenizer? tokenizer)
    {
        tokenizer = null;
        return Directory.Exists(folder) && TryLoadFolder(folder, out tokenizer, out _);
    }

    private static bool TryLoadFolder(string folder, out ITokenizer? tokenizer, out string? why)
    {
        why = null;
        string In(string name) => Path.Combine(folder, name);

        if (File.Exists(In("tokenizer.json")))
        {
            tokenizer = HuggingFaceTokenizer.Load(In("tokenizer.json"));
            return true;
        }
        foreach (var (vocab, merges) in new[] { ("vocab.json", "merges.txt"), ("encoder.json", "vocab.bpe") })
        {
            bool hasVocab = File.Exists(In(vocab)), hasMerges = File.Exists(In(merges));
            if (hasVocab && hasMerges)
            {
                tokenizer = Gpt2BpeTokenizer.Load(In(vocab), In(merges));
                return true;
            }
            if (hasVocab != hasMerges)
                why = $"It has {(hasVocab ? vocab : merges)} but not {(hasVocab ? merges : vocab)}.";
        }
        string? bin = File.Exists(In("tokenizer.bin"))
            ? In("tokenizer.bin")
            : Directory.EnumerateFiles(folder, "tok*.bin").Order(StringComparer.Ordinal).FirstOrDefault();
        if (bin is not null)
        {
            tokenizer = Llama2cTokenizer.Load(bin);
            return true;
        }
        tokenizer = null;
        return false;
    }

    private static ITokenizer LoadFile(string path)
    {
        string name = Path.GetFileName(path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Partner(string partner)
        {
            string p = Path.Combine(folder, partner);
            return File.Exists(p) ? p : throw new FileNotFoundException($"Tokenizer file '{path}' needs its partner '{partner}' in the same folder, which is missing.", p);
        }

        return name switch
        {
            "vocab.json" => Gpt2BpeTokenizer.Load(path, Partner("merges.txt")),
            "merges.txt" => Gpt2BpeTokenizer.Load(Partner("vocab.json"), path),
            "encoder.json" => Gpt2BpeTokenizer.Load(path, Partner("vocab.bpe")),
            "vocab.bpe" => Gpt2BpeTokenizer.Load(Partner("encoder.json"), path),
            _ when name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) => HuggingFaceTokenizer.Load(path),
            _ when name.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) => Llama2cTokenizer.Load(path),
            _ => throw new TokenizerFormatException(path, $"is not a tokenizer file Glassbox knows by name (expected {LookedFor}, or another *.json tokenizer or *.bin llama2.c tokenizer)."),
        };
    }
}

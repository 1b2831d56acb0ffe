using Glassbox.Loading;
using Glassbox.Models;
using Glassbox.Tokenizers;

namespace Glassbox.Cli;

/// <summary>
/// The <c>&lt;model&gt;</c> argument every command takes: a local Hugging Face model folder
/// (config.json + safetensors) or a llama2.c <c>.bin</c> checkpoint. Checking it, reading its
/// config, finding its tokenizer and loading its weights are separate steps, so commands can check
/// their arguments before the weights are read.
/// </summary>
internal sealed class ModelSource
{
    ModelSource(string argument, string fullPath, Llama2cHeader? llama2c)
    {
        Argument = argument;
        FullPath = fullPath;
        Llama2c = llama2c;
    }

    /// <summary>The path as the user gave it (for messages).</summary>
    public string Argument { get; }

    public string FullPath { get; }

    /// <summary>The checkpoint header when this is a llama2.c <c>.bin</c> file; null for a folder.</summary>
    public Llama2cHeader? Llama2c { get; }

    public bool IsLlama2c => Llama2c is not null;

    /// <summary>
    /// The model at <paramref name="argument"/>: a folder, or a <c>.bin</c> file whose header describes
    /// a llama2.c checkpoint of exactly its size. Anything else is a clear error.
    /// </summary>
    public static ModelSource Require(string? argument)
    {
        if (string.IsNullOrWhiteSpace(argument)) throw new UsageException("no model given; give a model folder or a llama2.c .bin checkpoint.");
        string full = Path.GetFullPath(argument);
        if (Directory.Exists(full)) return new ModelSource(argument, full, null);
        if (!File.Exists(full))
            throw new DirectoryNotFoundException($"model '{argument}' does not exist (give a model folder or a llama2.c .bin checkpoint).");
        if (!full.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
            throw new UsageException(
                $"'{argument}' is a file; give the model folder (the one holding config.json and model.safetensors) or a llama2.c .bin checkpoint.");
        if (!Llama2cHeader.TryRead(full, out var header, out string problem))
            throw new InvalidDataException(IsLlama2cTokenizer(full)
                ? $"'{argument}' is a llama2.c tokenizer, not a model checkpoint; 'glassbox tokenize' reads it, and models find it beside their .bin."
                : $"'{argument}' is not a llama2.c model checkpoint: {problem}.");
        return new ModelSource(argument, full, header);
    }

    static bool IsLlama2cTokenizer(string path)
    {
        try
        {
            Llama2cTokenizer.Load(path);
            return true;
        }
        catch (Exception e) when (e is TokenizerFormatException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// The model's config as stored (before any weight processing): config.json for a folder; for a
    /// llama2.c file, what <see cref="Llama2cCheckpoint.Read"/> makes of it (this reads the file).
    /// </summary>
    public ModelConfig ReadConfig() => IsLlama2c
        ? Llama2cCheckpoint.Read(FullPath).Config
        : HuggingFaceConfig.Read(Path.Combine(FullPath, "config.json"));

    /// <summary>
    /// The tokenizer the loaded model will have, without reading the weights: the folder's tokenizer
    /// files, or the llama2.c tokenizer beside the <c>.bin</c> (sized by the checkpoint's vocabulary).
    /// Null when there is none; a tokenizer file that is there but broken throws.
    /// </summary>
    public ITokenizer? LoadTokenizer()
    {
        if (Llama2c is { } header)
            return Llama2cHeader.TokenizerBeside(FullPath) is { } file ? Llama2cTokenizer.Load(file, header.Vocab) : null;
        return TokenizerLoader.TryLoad(FullPath, out var tokenizer) ? tokenizer : null;
    }

    /// <summary>Where <see cref="LoadTokenizer"/> looks, for messages.</summary>
    public string TokenizerLookedFor => IsLlama2c
        ? $"no tokenizer.bin or tok*.bin beside '{Argument}'"
        : $"no tokenizer files (tokenizer.json, vocab.json + merges.txt, tokenizer.bin, tok*.bin) in '{Argument}'";

    /// <summary>
    /// Loads the weights (and the tokenizer). <paramref name="process"/> applies TransformerLens's
    /// default weight processing; without it the weights are used as stored, as the original code runs them.
    /// </summary>
    public HookedTransformer Load(bool process)
    {
        if (IsLlama2c) return Llama2cCheckpoint.Load(FullPath, processing: process ? ProcessingOptions.Default : ProcessingOptions.None);
        return process ? HookedTransformer.FromPretrained(FullPath) : HookedTransformer.FromPretrainedNoProcessing(FullPath);
    }
}

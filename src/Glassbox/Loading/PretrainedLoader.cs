using Glassbox.Hooks;
using Glassbox.Models;

namespace Glassbox.Loading;

/// <summary>Loads a model from a local Hugging Face folder (config.json + safetensors, single or sharded).</summary>
public static class PretrainedLoader
{
    public static HookedTransformer Load(string folder, ProcessingOptions? processing = null)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Model folder {folder} does not exist.");
        var config = HuggingFaceConfig.Read(Path.Combine(folder, "config.json"));
        using var checkpoint = SafetensorsCheckpoint.Open(folder);
        var weights = checkpoint.Contains("embed.W_E") ? TransformerLensCheckpoint.Load(config, checkpoint) : config.Family switch
        {
            ModelFamily.Gpt2 => Gpt2Checkpoint.Load(config, checkpoint),
            ModelFamily.Llama => LlamaCheckpoint.Load(config, checkpoint),
            ModelFamily.NeoX => NeoXCheckpoint.Load(config, checkpoint),
            _ => throw new NotSupportedException($"{folder}: {config.Family} models load from TransformerLens state dicts (embed.W_E, ...), which this checkpoint is not."),
        };
        var (processedConfig, processedWeights) = WeightProcessing.Apply(config, weights, processing ?? ProcessingOptions.Default);
        var model = new HookedTransformer(processedConfig, processedWeights);
        if (Tokenizers.TokenizerLoader.TryLoad(folder, out var tokenizer)) model.Tokenizer = tokenizer;
        return model;
    }
}

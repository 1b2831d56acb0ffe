using Glassbox.Loading;
using Glassbox.Models;

namespace Glassbox.Cli;

/// <summary>Checks a <c>&lt;model-dir&gt;</c> argument and reads its config without loading weights.</summary>
internal static class ModelFolder
{
    /// <summary>The folder's full path; a clear error if it is missing or is a file.</summary>
    public static string Require(string? folder)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new UsageException("no model folder given.");
        string full = Path.GetFullPath(folder);
        if (Directory.Exists(full)) return full;
        if (File.Exists(full))
            throw new UsageException($"'{folder}' is a file; give the model folder (the one holding config.json and model.safetensors).");
        throw new DirectoryNotFoundException($"model folder '{folder}' does not exist.");
    }

    /// <summary>The model's config as config.json describes it (weights as stored, before any processing).</summary>
    public static ModelConfig ReadConfig(string folder) => HuggingFaceConfig.Read(Path.Combine(folder, "config.json"));
}

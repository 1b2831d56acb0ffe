using Glassbox.Loading;

namespace Glassbox.Models;

public sealed partial class HookedTransformer
{
    /// <summary>
    /// Loads a local Hugging Face folder and applies TransformerLens's weight processing
    /// (fold_ln, center_writing_weights, center_unembed, fold_value_biases). Never downloads.
    /// </summary>
    public static HookedTransformer FromPretrained(string folder, ProcessingOptions? processing = null)
        => PretrainedLoader.Load(folder, processing ?? ProcessingOptions.Default);

    /// <summary>Loads with raw weights: activations as Hugging Face computes them.</summary>
    public static HookedTransformer FromPretrainedNoProcessing(string folder)
        => PretrainedLoader.Load(folder, ProcessingOptions.None);
}

// Compiled into both the runtime and the generator (linked file): keep it netstandard2.0-friendly.
using System;

namespace Glassbox.Hooks
{
    /// <summary>
    /// Model features a hook point needs to exist. A model's feature set comes from its config
    /// (runtime) or from its declared family (analyzer); a point exists when all it requires is present.
    /// </summary>
    [Flags]
    public enum ModelFeatures
    {
        None = 0,
        /// <summary>Learned absolute or shortformer positions (hook_pos_embed).</summary>
        PositionEmbedding = 1,
        /// <summary>Rotary embeddings on q and k (hook_rot_q, hook_rot_k).</summary>
        Rotary = 2,
        /// <summary>An MLP in each block.</summary>
        Mlp = 4,
        /// <summary>A gated MLP (gate and up projections: hook_pre_linear).</summary>
        GatedMlp = 8,
        /// <summary>Attention then MLP in sequence, so a residual stream between them (hook_resid_mid).</summary>
        SequentialResidual = 16,
        /// <summary>Normalisation layers with hooks (LN, LNPre, RMS, RMSPre).</summary>
        Norm = 32,
    }

    /// <summary>The architectures Glassbox knows, for declaring a model to the analyzer.</summary>
    public enum ModelFamily
    {
        Gpt2,
        Llama,
        NeoX,
        AttentionOnly,
    }

    public static class ModelFamilies
    {
        /// <summary>The features every model of <paramref name="family"/> has.</summary>
        public static ModelFeatures FeaturesOf(ModelFamily family)
        {
            switch (family)
            {
                case ModelFamily.Gpt2: return ModelFeatures.PositionEmbedding | ModelFeatures.Mlp | ModelFeatures.SequentialResidual | ModelFeatures.Norm;
                case ModelFamily.Llama: return ModelFeatures.Rotary | ModelFeatures.Mlp | ModelFeatures.GatedMlp | ModelFeatures.SequentialResidual | ModelFeatures.Norm;
                case ModelFamily.NeoX: return ModelFeatures.Rotary | ModelFeatures.Mlp | ModelFeatures.Norm;
                case ModelFamily.AttentionOnly: return ModelFeatures.PositionEmbedding | ModelFeatures.Norm;
                default: throw new ArgumentOutOfRangeException(nameof(family));
            }
        }
    }
}

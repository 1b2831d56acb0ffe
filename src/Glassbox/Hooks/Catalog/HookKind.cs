// Compiled into both the runtime and the generator (linked file): keep it netstandard2.0-friendly.
namespace Glassbox.Hooks
{
    /// <summary>What a hook point's tensor is; decides its shape and the typed views that fit it.</summary>
    public enum HookKind
    {
        /// <summary>[batch, pos, d_model]</summary>
        Residual,
        /// <summary>[batch, pos, 1]</summary>
        LayerNormScale,
        /// <summary>[batch, pos, head_index, d_head]</summary>
        HeadVectors,
        /// <summary>[batch, pos, head_index, d_model]</summary>
        HeadResiduals,
        /// <summary>[batch, head_index, query_pos, key_pos], masked entries -inf</summary>
        AttentionScores,
        /// <summary>[batch, head_index, query_pos, key_pos], rows sum to 1</summary>
        AttentionPattern,
        /// <summary>[batch, pos, d_mlp]</summary>
        Neurons,
        /// <summary>[batch, pos, d_vocab]</summary>
        Logits,
    }

    /// <summary>Which head count a head axis has.</summary>
    public enum HeadCount
    {
        None,
        Heads,
        KeyValueHeads,
    }
}

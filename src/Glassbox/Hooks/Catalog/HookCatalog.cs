// THE hook catalog: every hook point Glassbox knows, in firing order.
// Compiled into both the runtime and the generator (linked file), so the analyzer and the runtime
// can never disagree. Keep it netstandard2.0-friendly.
using System.Collections.Generic;

namespace Glassbox.Hooks
{
    public static class HookCatalog
    {
        const ModelFeatures Norm = ModelFeatures.Norm;
        const ModelFeatures Mlp = ModelFeatures.Mlp;

        /// <summary>Every hook point, model-wide and per block, in the order a forward pass fires them.</summary>
        public static readonly IReadOnlyList<HookPointSpec> All = new[]
        {
            new HookPointSpec("hook_embed", false, HookKind.Residual, "embed", "Token embeddings W_E[tokens]."),
            new HookPointSpec("hook_pos_embed", false, HookKind.Residual, "pos_embed", "Positional embeddings W_pos[positions] (zero at padding).", ModelFeatures.PositionEmbedding),

            new HookPointSpec("hook_resid_pre", true, HookKind.Residual, "resid_pre", "Residual stream entering the block."),
            new HookPointSpec("hook_attn_in", true, HookKind.HeadResiduals, "attn_in", "The block input repeated per head, before ln1; editing it changes what each head reads.", gated: true),
            new HookPointSpec("hook_q_input", true, HookKind.HeadResiduals, "q_input", "Per-head input to the query projection, before ln1.", gated: true),
            new HookPointSpec("hook_k_input", true, HookKind.HeadResiduals, "k_input", "Per-head input to the key projection, before ln1.", gated: true, heads: HeadCount.KeyValueHeads),
            new HookPointSpec("hook_v_input", true, HookKind.HeadResiduals, "v_input", "Per-head input to the value projection, before ln1.", gated: true, heads: HeadCount.KeyValueHeads),
            new HookPointSpec("ln1.hook_scale", true, HookKind.LayerNormScale, "scale", "sqrt(mean(x_c^2) + eps) of the attention norm.", Norm),
            new HookPointSpec("ln1.hook_normalized", true, HookKind.Residual, "normalized", "Attention norm output before its weight and bias.", Norm),
            new HookPointSpec("attn.hook_q", true, HookKind.HeadVectors, "q", "Queries, with bias."),
            new HookPointSpec("attn.hook_k", true, HookKind.HeadVectors, "k", "Keys, with bias (n_key_value_heads heads).", heads: HeadCount.KeyValueHeads),
            new HookPointSpec("attn.hook_v", true, HookKind.HeadVectors, "v", "Values, with bias (n_key_value_heads heads).", heads: HeadCount.KeyValueHeads),
            new HookPointSpec("attn.hook_rot_q", true, HookKind.HeadVectors, "rot_q", "Queries after the rotary embedding.", ModelFeatures.Rotary),
            new HookPointSpec("attn.hook_rot_k", true, HookKind.HeadVectors, "rot_k", "Keys after the rotary embedding.", ModelFeatures.Rotary, heads: HeadCount.KeyValueHeads),
            new HookPointSpec("attn.hook_attn_scores", true, HookKind.AttentionScores, "attn_scores", "q.k / sqrt(d_head) after the causal and padding mask (masked = -inf)."),
            new HookPointSpec("attn.hook_pattern", true, HookKind.AttentionPattern, "pattern", "Attention probabilities: softmax over key positions."),
            new HookPointSpec("attn.hook_z", true, HookKind.HeadVectors, "z", "pattern @ v: each head's mix of values."),
            new HookPointSpec("attn.hook_result", true, HookKind.HeadResiduals, "result", "Each head's output z_h @ W_O[h], without b_O.", gated: true),
            new HookPointSpec("hook_attn_out", true, HookKind.Residual, "attn_out", "Attention output: sum of head results + b_O."),
            new HookPointSpec("hook_resid_mid", true, HookKind.Residual, "resid_mid", "resid_pre + attn_out.", ModelFeatures.SequentialResidual),
            new HookPointSpec("hook_mlp_in", true, HookKind.Residual, "mlp_in", "Input to the MLP, before ln2.", Mlp, gated: true),
            new HookPointSpec("ln2.hook_scale", true, HookKind.LayerNormScale, "scale", "sqrt(mean(x_c^2) + eps) of the MLP norm.", Norm | Mlp),
            new HookPointSpec("ln2.hook_normalized", true, HookKind.Residual, "normalized", "MLP norm output before its weight and bias.", Norm | Mlp),
            new HookPointSpec("mlp.hook_pre", true, HookKind.Neurons, "pre", "MLP pre-activation (the gate projection in a gated MLP).", Mlp),
            new HookPointSpec("mlp.hook_pre_linear", true, HookKind.Neurons, "pre_linear", "The up projection of a gated MLP.", Mlp | ModelFeatures.GatedMlp),
            new HookPointSpec("mlp.hook_post", true, HookKind.Neurons, "post", "MLP neuron activations.", Mlp),
            new HookPointSpec("hook_mlp_out", true, HookKind.Residual, "mlp_out", "MLP output written to the residual stream.", Mlp),
            new HookPointSpec("hook_resid_post", true, HookKind.Residual, "resid_post", "Residual stream leaving the block."),

            new HookPointSpec("ln_final.hook_scale", false, HookKind.LayerNormScale, "scale", "sqrt(mean(x_c^2) + eps) of the final norm.", Norm),
            new HookPointSpec("ln_final.hook_normalized", false, HookKind.Residual, "normalized", "Final norm output before its weight and bias.", Norm),
            new HookPointSpec("unembed.hook_in", false, HookKind.Residual, "unembed_in", "Input to the unembedding (final norm output after weight and bias)."),
            new HookPointSpec("unembed.hook_out", false, HookKind.Logits, "logits", "Logits."),
        };

        /// <summary>The entry whose block-relative or model-wide name is <paramref name="name"/>, or null.</summary>
        public static HookPointSpec? Find(string name, bool inBlock)
        {
            foreach (var spec in All)
                if (spec.InBlock == inBlock && spec.Name == name) return spec;
            return null;
        }
    }
}

using Glassbox;
using Glassbox.Hooks;
using Glassbox.Tensors;

// The model these hooks are written for: the analyzer rejects layers, heads and points it lacks.
[assembly: GlassboxModel(Architecture.Gpt2, Layers = 2, Heads = 4, Mlp = 256)]

namespace Glassbox.Consumer.Tests;

/// <summary>Observers: keep copies of what they see.</summary>
public sealed partial class PatternRecorder
{
    public Tensor?[] Patterns { get; } = new Tensor?[2];
    public Tensor? Embed { get; private set; }
    public List<string> Seen { get; } = [];

    [Hook("blocks.<L>.attn.hook_pattern")]
    void OnPattern(ReadOnlyAttentionPattern pattern, int layer) => Patterns[layer] = pattern.Clone();

    [Hook("hook_embed")]
    void OnEmbed(ReadOnlyResidual embed, HookContext context)
    {
        Embed = embed.Clone();
        Seen.Add(context.Name);
    }

    [Hook("blocks.-1.hook_resid_post")]
    [Hook("ln_final.hook_scale")]
    void OnAny(ReadOnlyTensor activation, HookContext context) => Seen.Add(context.Name);
}

/// <summary>Editors: in place and by replacement.</summary>
public static partial class Editors
{
    public sealed partial class KillHead
    {
        [Hook("blocks.1.attn.hook_z")]
        void Kill(HeadVectors z) => z.Head(2).Clear();
    }

    public sealed partial class DoubleResidual
    {
        [Hook("blocks.{0..1}.hook_resid_mid")]
        Residual Double(Residual resid)
        {
            var copy = resid.Clone();
            foreach (ref float v in copy.Span) v *= 2;
            return new Residual(copy);
        }
    }
}

[CacheActivations("blocks.<L>.hook_resid_post", "blocks.<L>.attn.hook_pattern", "hook_embed", "blocks.1.mlp.hook_post")]
public sealed partial class SmallCache;

[Ablate("blocks.1.attn.hook_z", Heads = new[] { 0, 3 })]
[Ablate("blocks.0.mlp.hook_post", Neurons = new[] { 7, 100 }, Positions = new[] { 2 })]
public sealed partial class ZeroAblation;

[Ablate("blocks.0.attn.hook_z", Heads = new[] { 1 }, Mode = AblationMode.Mean)]
public sealed partial class MeanAblation;

[Ablate("blocks.<L>.attn.hook_pattern", Heads = new[] { 2 }, Mode = AblationMode.Resample)]
public sealed partial class ResampleAblation;

[SkipLayer(1)]
public sealed partial class SkipLast;

[Patch("blocks.<L>.hook_resid_pre", Positions = new[] { 3 })]
public sealed partial class PatchPosition;

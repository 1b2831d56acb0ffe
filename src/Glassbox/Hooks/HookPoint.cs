using System.Collections.Concurrent;

namespace Glassbox.Hooks;

/// <summary>A concrete hook point of one model: <c>blocks.3.attn.hook_pattern</c>.</summary>
public sealed class HookPoint
{
    internal HookPoint(int id, string name, int layer, HookPointSpec spec, int slot, HookPoint? parent = null, int? width = null)
    {
        Id = id;
        Name = name;
        Layer = layer;
        Spec = spec;
        Slot = slot;
        Parent = parent;
        Width = width;
    }

    /// <summary>Position in the model's hook table (firing order).</summary>
    public int Id { get; internal set; }

    /// <summary>Where the forward pass finds this point's hooks.</summary>
    internal int Slot { get; }

    /// <summary>For points a spliced module adds (an SAE's <c>hook_sae_acts_post</c>): the model point it sits on.</summary>
    public HookPoint? Parent { get; }

    /// <summary>The last axis's size when it is not the catalog kind's (e.g. an SAE's d_sae).</summary>
    public int? Width { get; }
    public string Name { get; }
    /// <summary>The block index, or -1 for model-wide points.</summary>
    public int Layer { get; }
    public HookPointSpec Spec { get; }
    public HookKind Kind => Spec.Kind;

    /// <summary>
    /// TransformerLens's <c>hook.ctx</c>: a dictionary hooks on this point may use to keep state
    /// across runs. Cleared by <c>ResetHooks(clearContexts: true)</c>.
    /// </summary>
    public ConcurrentDictionary<string, object?> Ctx { get; } = new();

    public override string ToString() => Name;
}

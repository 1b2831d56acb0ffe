namespace Glassbox;

/// <summary>How an ablation replaces what it removes.</summary>
public enum AblationMode
{
    /// <summary>Set the selected entries to zero.</summary>
    Zero,
    /// <summary>Replace them with the mean over the batch of a supplied mean cache (<c>MeanCache</c>).</summary>
    Mean,
    /// <summary>Replace them with the activations of a supplied source cache (<c>SourceCache</c>).</summary>
    Resample,
}

/// <summary>
/// Ablates part of a hook point: the generator picks the axis from the hook catalog (the head axis
/// of q/k/v/z/result/pattern, the neuron axis of the mlp hooks, the position axis of every point).
/// Selections on several axes intersect; no selection ablates the whole activation.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class AblateAttribute(string name) : Attribute
{
    public string Name { get; } = name;
    public int[]? Heads { get; set; }
    public int[]? Neurons { get; set; }
    public int[]? Positions { get; set; }
    public AblationMode Mode { get; set; } = AblationMode.Zero;
}

/// <summary>Skips a block: its attention and MLP outputs are zeroed, so resid_post equals resid_pre.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class SkipLayerAttribute(int layer) : Attribute
{
    public int Layer { get; } = layer;
}

/// <summary>
/// Patches a hook point from a source cache (the generated <c>SourceCache</c> property): at the
/// positions (and heads) selected, or everywhere.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class PatchAttribute(string name) : Attribute
{
    public string Name { get; } = name;
    public int[]? Positions { get; set; }
    public int[]? Heads { get; set; }
}

namespace Glassbox;

/// <summary>Model architectures, for declaring the model an assembly's hooks target (same members as <see cref="Hooks.ModelFamily"/>).</summary>
public enum Architecture
{
    Gpt2,
    Llama,
    NeoX,
    AttentionOnly,
}

/// <summary>
/// Declares the model this assembly's hooks are written for, so the analyzer rejects layers, heads
/// and neurons beyond it and hook points its family lacks. A Hugging Face <c>config.json</c> passed as
/// an AdditionalFile does the same; values given here win.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class GlassboxModelAttribute(Architecture architecture) : Attribute
{
    public Architecture Architecture { get; } = architecture;
    public int Layers { get; set; }
    public int Heads { get; set; }
    public int KeyValueHeads { get; set; }
    public int Mlp { get; set; }
}

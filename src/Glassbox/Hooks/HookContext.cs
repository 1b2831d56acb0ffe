using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Hooks;

/// <summary>What a hook is told about the point it fired on and the run it is part of.</summary>
public sealed class HookContext
{
    internal HookContext(HookPoint point, HookedTransformer model, IntTensor? tokens, IntTensor? attentionMask, int pastLength, int step,
        Func<HookPoint, Tensor, Tensor>? fireNested = null)
    {
        _fireNested = fireNested;
        Point = point;
        Model = model;
        Tokens = tokens;
        AttentionMask = attentionMask;
        PastLength = pastLength;
        Step = step;
    }

    readonly Func<HookPoint, Tensor, Tensor>? _fireNested;

    public HookPoint Point { get; }

    /// <summary>
    /// Runs this pass's hooks of a point a spliced module adds (e.g. an SAE's latents) on
    /// <paramref name="value"/>, from inside the hook of its parent point; returns the value that flows on.
    /// </summary>
    internal Tensor FireNested(HookPoint point, Tensor value) => _fireNested is null ? value : _fireNested(point, value);
    public string Name => Point.Name;
    /// <summary>Block index, or -1 for model-wide points.</summary>
    public int Layer => Point.Layer;
    public HookKind Kind => Point.Kind;
    public HookedTransformer Model { get; }
    /// <summary>The input tokens [batch, pos] (null when a run starts from a residual stream without tokens).</summary>
    public IntTensor? Tokens { get; }
    /// <summary>The attention mask [batch, pos] (1 = real token), or null when there is no padding.</summary>
    public IntTensor? AttentionMask { get; }
    /// <summary>
    /// Tokens already in the KV cache before this pass: position axis index <c>p</c> of this pass's
    /// activations is sequence position <c>PastLength + p</c>. 0 without a cache.
    /// </summary>
    public int PastLength { get; }

    /// <summary>Generation step: 0 for the prompt, k for the pass that feeds the k-th new token; -1 outside generation.</summary>
    public int Step { get; }

    /// <summary>Per-point state that survives across runs (TransformerLens's <c>hook.ctx</c>).</summary>
    public IDictionary<string, object?> Ctx => Point.Ctx;

    public override string ToString() => Name;
}

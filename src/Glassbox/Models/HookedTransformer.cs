using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Models;

/// <summary>
/// A transformer whose every activation is a named hook point (TransformerLens names, shapes and
/// semantics). One engine for every family: the <see cref="ModelConfig"/> switches decide the
/// architecture. Thread-safe for concurrent runs; hooks attached to the model apply to every run,
/// run-scoped hooks (<see cref="ForwardOptions.Hooks"/>) to one.
/// </summary>
public sealed partial class HookedTransformer
{
    public HookedTransformer(ModelConfig config, TransformerWeights weights)
    {
        Config = config.Validated();
        weights.Validate(Config);
        Weights = weights;
        Packed = new PackedWeights(Config, weights);
        HookPoints = new HookPointTable(Config);
        if (Config.PositionalEmbedding == PositionalEmbeddingType.Rotary)
            Rotary = new Rotary(Config.RotaryDim, Config.RotaryBase, Config.RotaryAdjacentPairs);
        Registry = new HookRegistry(HookPoints);
    }

    public ModelConfig Config { get; }

    /// <summary>The parameters (see <see cref="LayerWeights"/> for layouts). Treat as read-only: the packed copies are not refreshed.</summary>
    public TransformerWeights Weights { get; }

    /// <summary>Every hook point of this model, in firing order.</summary>
    public HookPointTable HookPoints { get; }

    /// <summary>Buffers reused across runs; caches and results rent from it.</summary>
    public TensorPool Pool { get; } = new();

    internal PackedWeights Packed { get; }
    internal Rotary? Rotary { get; }
    internal HookRegistry Registry { get; }

    /// <summary>
    /// Runs the model and returns the logits [batch, pos, d_vocab]. The caller owns them; disposing
    /// them returns their buffer to the model's pool for the next run.
    /// </summary>
    public Tensor Run(IntTensor tokens, ForwardOptions? options = null)
        => Forward(tokens, (options ?? ForwardOptions.Default) with { Return = ReturnType.Logits }).Logits!;

    /// <summary>Runs one sequence (a batch of one).</summary>
    public Tensor Run(params int[] tokens) => Run(IntTensor.FromSequence(tokens));

    /// <summary>A full forward pass with every option (return type, loss, mask, early stop, run-scoped hooks).</summary>
    public ForwardResult Forward(IntTensor tokens, ForwardOptions? options = null)
    {
        options ??= ForwardOptions.Default;
        CheckTokens(tokens, options.AttentionMask, past: options.KeyValueCache?.Length ?? 0);
        if (options.KeyValueCache is { } cache)
        {
            if (cache.Batch != tokens.Dim(0))
                throw new ArgumentException($"The KV cache holds {cache.Batch} sequences; the tokens have {tokens.Dim(0)}.");
            if (options.StopAtLayer is not null)
                throw new ArgumentException("StopAtLayer cannot be combined with a KV cache (the cache would miss the later layers).");
        }
        return Execute(tokens, null, 0, options);
    }

    /// <summary>
    /// Continues a forward pass from the residual stream entering block <paramref name="startAtLayer"/>
    /// (TransformerLens's <c>start_at_layer</c>). <paramref name="tokens"/> are needed for the loss.
    /// </summary>
    public ForwardResult ForwardFromResidual(Tensor residual, int startAtLayer, IntTensor? tokens = null, ForwardOptions? options = null)
    {
        options ??= ForwardOptions.Default;
        int start = NormalizeLayer(startAtLayer, nameof(startAtLayer), allowEnd: true);
        if (residual.Rank != 3 || residual.Dim(2) != Config.DModel)
            throw new ArgumentException($"The residual stream must be [batch, pos, {Config.DModel}]; got {Tensor.Format(residual.Shape)}.");
        if (tokens is not null) CheckTokens(tokens, options.AttentionMask, residual.Dim(0), residual.Dim(1));
        if (options.KeyValueCache is not null)
            throw new ArgumentException("Resuming from a residual stream cannot use a KV cache.");
        if ((options.Return is ReturnType.Loss or ReturnType.Both || options.LossPerToken) && tokens is null)
            throw new ArgumentException("A loss needs the tokens; pass them along with the residual stream.");
        return Execute(tokens, residual, start, options);
    }

    /// <summary>Runs with hooks that apply to this run only.</summary>
    public Tensor RunWithHooks(IntTensor tokens, params HookBinding[] hooks)
        => Run(tokens, new ForwardOptions { Hooks = hooks });

    /// <summary>
    /// Runs and records the activations of the points <paramref name="names"/> selects (all by default),
    /// after the editing hooks registered before the cache. Dispose the cache to recycle its memory.
    /// </summary>
    public (Tensor Logits, ActivationCache Cache) RunWithCache(IntTensor tokens, HookFilter? names = null, ForwardOptions? options = null)
    {
        options ??= ForwardOptions.Default;
        var cache = new ActivationCache(this);
        var recorder = new HookBinding(names ?? HookFilter.All, (t, c) =>
        {
            cache.Store(c.Name, t.Clone(Pool));
            return null;
        });
        var hooks = (options.Hooks ?? []).Append(recorder).ToList();
        try
        {
            var result = Forward(tokens, options with { Hooks = hooks, Return = ReturnType.Logits });
            return (result.Logits!, cache);
        }
        catch
        {
            cache.Dispose();
            throw;
        }
    }

    ForwardResult Execute(IntTensor? tokens, Tensor? residual, int start, ForwardOptions options)
    {
        int batch = residual?.Dim(0) ?? tokens!.Dim(0);
        int seq = residual?.Dim(1) ?? tokens!.Dim(1);
        int stop = options.StopAtLayer is int s ? NormalizeLayer(s, nameof(options.StopAtLayer), allowEnd: true) : Config.NLayers;
        if (stop < start) throw new ArgumentException($"StopAtLayer ({stop}) is before the start layer ({start}).");

        var hooks = Registry.Snapshot(options.Hooks);
        using var pass = new ForwardPass(this, tokens, options.AttentionMask, batch, seq, hooks, options.KeyValueCache, options.Step);
        var resid = residual ?? pass.Embed();
        for (int layer = start; layer < stop; layer++) resid = pass.Block(layer, resid);

        if (stop < Config.NLayers)
            return new ForwardResult { Residual = ReferenceEquals(resid, residual) ? resid.Clone() : pass.Keep(resid) };

        var logits = pass.Unembed(resid);
        pass.CommitCache();
        bool wantLoss = options.Return is ReturnType.Loss or ReturnType.Both || options.LossPerToken;
        float loss = float.NaN;
        Tensor? perToken = null;
        if (wantLoss)
        {
            (loss, perToken) = Loss.NextToken(logits, tokens!, options.AttentionMask);
            if (!options.LossPerToken) perToken = null;
        }
        bool wantLogits = options.Return is ReturnType.Logits or ReturnType.Both;
        return new ForwardResult
        {
            Logits = wantLogits ? pass.Keep(logits) : null,
            Loss = options.Return is ReturnType.Loss or ReturnType.Both ? loss : float.NaN,
            LossPerToken = perToken,
        };
    }

    void CheckTokens(IntTensor tokens, IntTensor? mask, int? batch = null, int? seq = null, int past = 0)
    {
        if (tokens.Rank != 2) throw new ArgumentException($"Tokens must be [batch, pos]; got {Tensor.Format(tokens.Shape)}.");
        if (tokens.Dim(1) == 0) throw new ArgumentException("Tokens must hold at least one position.");
        if (batch is int bt && (tokens.Dim(0) != bt || tokens.Dim(1) != seq))
            throw new ArgumentException($"Tokens {Tensor.Format(tokens.Shape)} do not match the residual stream [{bt}, {seq}, ...].");
        if (Config.PositionalEmbedding != PositionalEmbeddingType.Rotary && past + tokens.Dim(1) > Config.NCtx)
            throw new ArgumentException($"{past + tokens.Dim(1)} positions exceed the model's context of {Config.NCtx}.");
        if (mask is null) return;
        if (!mask.Shape.SequenceEqual(tokens.Shape))
            throw new ArgumentException($"The attention mask {Tensor.Format(mask.Shape)} must have the tokens' shape {Tensor.Format(tokens.Shape)}.");
        foreach (int m in mask.Span)
            if (m is not (0 or 1)) throw new ArgumentException($"The attention mask may hold only 0 and 1; found {m}.");
    }

    int NormalizeLayer(int layer, string what, bool allowEnd)
    {
        int n = Config.NLayers;
        int resolved = layer < 0 ? layer + n : layer;
        if (resolved < 0 || resolved > n || (!allowEnd && resolved == n))
            throw new ArgumentOutOfRangeException(what, $"{what} {layer} is outside 0..{(allowEnd ? n : n - 1)} (negative counts from the end).");
        return resolved;
    }
}

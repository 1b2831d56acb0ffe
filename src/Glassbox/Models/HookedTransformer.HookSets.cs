using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Models;

public sealed partial class HookedTransformer
{
    /// <summary>
    /// Attaches the hooks of <paramref name="hookSet"/> (a generated hook set, cache or ablation) for
    /// every run until the returned scope is disposed; disposing removes exactly these hooks. Layer
    /// templates expand against this model; a layer, head or hook point it lacks fails here, before
    /// anything is attached.
    /// </summary>
    public HookScope Attach(IHookSet hookSet, bool isPermanent = false)
        => Attach(Build(hookSet), isPermanent);

    /// <summary>Runs once with <paramref name="hookSet"/>'s hooks (run-scoped: they never touch the model) and returns the logits.</summary>
    public Tensor Run(IntTensor tokens, IHookSet hookSet, ForwardOptions? options = null)
        => Run(tokens, WithHookSet(options, hookSet));

    /// <summary>A forward pass with every option and <paramref name="hookSet"/>'s hooks for this run only.</summary>
    public ForwardResult Forward(IntTensor tokens, IHookSet hookSet, ForwardOptions? options = null)
        => Forward(tokens, WithHookSet(options, hookSet));

    ForwardOptions WithHookSet(ForwardOptions? options, IHookSet hookSet)
    {
        options ??= ForwardOptions.Default;
        var hooks = Build(hookSet);
        return options with { Hooks = options.Hooks is { Count: > 0 } earlier ? [.. earlier, .. hooks] : hooks };
    }

    IReadOnlyList<HookBinding> Build(IHookSet hookSet)
    {
        ArgumentNullException.ThrowIfNull(hookSet);
        var builder = new HookSetBuilder(this);
        hookSet.Register(builder);
        return builder.Bindings;
    }
}

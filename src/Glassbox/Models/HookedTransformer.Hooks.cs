using Glassbox.Hooks;
using Glassbox.Tensors;

namespace Glassbox.Models;

public sealed partial class HookedTransformer
{
    /// <summary>Hooks attached to the model (all runs), not counting run-scoped ones.</summary>
    public int HookCount => Registry.Count;

    /// <summary>
    /// Attaches <paramref name="function"/> to every point <paramref name="points"/> selects, for every
    /// run until removed. Dispose the returned scope to remove exactly this hook.
    /// </summary>
    public HookScope AddHook(HookFilter points, HookFunction function, bool prepend = false, bool isPermanent = false)
        => Attach([new HookBinding(points, function, prepend)], isPermanent);

    public HookScope AddHook(HookFilter points, Action<Tensor, HookContext> action, bool prepend = false, bool isPermanent = false)
        => AddHook(points, Hook.Of(action), prepend, isPermanent);

    /// <summary>
    /// Attaches several hooks for the lifetime of a <c>using</c> block: the scope removes exactly these
    /// hooks when disposed, also when a hook throws, and nested scopes remove only their own.
    /// </summary>
    public HookScope Hooks(params HookBinding[] hooks) => Attach(hooks, permanent: false);

    /// <summary>Removes the hooks attached to the model; permanent ones only when asked. Clears hook contexts by default.</summary>
    public void ResetHooks(bool includingPermanent = false, bool clearContexts = true)
    {
        Registry.Reset(includingPermanent);
        if (clearContexts)
            foreach (var point in HookPoints.Points) point.Ctx.Clear();
    }

    /// <summary>The shape of a hook point's activation for a batch of <paramref name="batch"/> × <paramref name="pos"/> tokens.</summary>
    public int[] HookShape(HookPoint point, int batch, int pos) => HookPoints.ShapeOf(point, batch, pos);

    /// <summary>How many bytes a cache of the points <paramref name="names"/> selects would hold — know before you run.</summary>
    public long EstimateCacheBytes(HookFilter names, int batch, int pos) => HookPoints.EstimateBytes(names, batch, pos);

    HookScope Attach(IEnumerable<HookBinding> bindings, bool permanent)
    {
        var registrations = new List<HookRegistration>();
        foreach (var binding in bindings)
            foreach (var point in binding.Filter.Select(HookPoints))
                registrations.Add(new HookRegistration(point, binding.Function, permanent));
        // Resolve every name before attaching anything, so a bad name leaves no hook behind.
        var prepends = bindings.SelectMany(b => b.Filter.Select(HookPoints).Select(_ => b.Prepend)).ToList();
        for (int i = 0; i < registrations.Count; i++) Registry.Add(registrations[i], prepends[i]);
        return new HookScope(Registry, registrations);
    }
}

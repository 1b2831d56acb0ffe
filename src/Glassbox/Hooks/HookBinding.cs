namespace Glassbox.Hooks;

/// <summary>A hook function and the points it applies to, for scopes and run-scoped hooks.</summary>
public sealed record HookBinding(HookFilter Filter, HookFunction Function, bool Prepend = false)
{
    public static implicit operator HookBinding((string Name, HookFunction Function) pair) => new(pair.Name, pair.Function);
    public static implicit operator HookBinding((HookFilter Filter, HookFunction Function) pair) => new(pair.Filter, pair.Function);
}

namespace Glassbox.Hooks;

/// <summary>One hook attached to one point.</summary>
internal sealed class HookRegistration(HookPoint point, HookFunction function, bool permanent)
{
    public HookPoint Point { get; } = point;
    public HookFunction Function { get; } = function;
    public bool Permanent { get; } = permanent;
}

namespace Glassbox.Hooks;

/// <summary>
/// Hooks added together; disposing the scope removes exactly these hooks (and no others), once,
/// also when a hook threw inside a <c>using</c> block. Scopes nest freely.
/// </summary>
public sealed class HookScope : IDisposable
{
    readonly HookRegistry _registry;
    List<HookRegistration>? _registrations;

    internal HookScope(HookRegistry registry, List<HookRegistration> registrations)
    {
        _registry = registry;
        _registrations = registrations;
    }

    /// <summary>How many (point, function) pairs this scope attached.</summary>
    public int Count => _registrations?.Count ?? 0;

    public bool IsDisposed => _registrations is null;

    public void Dispose()
    {
        var registrations = Interlocked.Exchange(ref _registrations, null);
        if (registrations is not null) _registry.Remove(registrations);
    }
}

namespace Glassbox.Hooks;

/// <summary>A hook name that the model does not have; the message lists the nearest valid names.</summary>
public sealed class UnknownHookException : ArgumentException
{
    public UnknownHookException(string name, string reason, IReadOnlyList<string> suggestions)
        : base(Describe(name, reason, suggestions))
    {
        HookName = name;
        Suggestions = suggestions;
    }

    public string HookName { get; }
    public IReadOnlyList<string> Suggestions { get; }

    static string Describe(string name, string reason, IReadOnlyList<string> suggestions)
        => suggestions.Count == 0
            ? $"Unknown hook point '{name}': {reason}."
            : $"Unknown hook point '{name}': {reason}. Did you mean {string.Join(", ", suggestions.Select(s => $"'{s}'"))}?";
}

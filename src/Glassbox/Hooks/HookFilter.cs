using System.Text.RegularExpressions;

namespace Glassbox.Hooks;

/// <summary>
/// Which hook points a hook or a cache applies to: an exact name, a list of names, a glob
/// (<c>blocks.*.attn.hook_pattern</c>) or a predicate. Exact names and lists are checked against the
/// model and fail with suggestions; a glob must match at least one point.
/// </summary>
public sealed class HookFilter
{
    readonly Func<string, bool>? _predicate;
    readonly string[]? _names;
    readonly string _description;
    readonly bool _mustMatch;

    HookFilter(string[]? names, Func<string, bool>? predicate, string description, bool mustMatch)
    {
        _names = names;
        _predicate = predicate;
        _description = description;
        _mustMatch = mustMatch;
    }

    /// <summary>
    /// Every hook point that a plain forward pass computes anyway — what TransformerLens caches by
    /// default. Gated points (hook_result, hook_attn_in, hook_q/k/v_input, hook_mlp_in) cost extra
    /// memory and work, and the per-head input points change how ln1 runs, so they are selected only
    /// when named (exactly, by glob, by predicate, or with <see cref="Everything"/>).
    /// </summary>
    public static HookFilter All { get; } = new(null, null, "all", false);

    /// <summary>Every hook point, gated ones included.</summary>
    public static HookFilter Everything { get; } = new(null, _ => true, "everything", false);

    public static HookFilter Exact(string name) => new([name], null, name, true);

    public static HookFilter AnyOf(IEnumerable<string> names)
    {
        var list = names.ToArray();
        return new(list, null, string.Join(", ", list), true);
    }

    public static HookFilter Where(Func<string, bool> predicate) => new(null, predicate, "<predicate>", false);

    /// <summary><c>*</c> matches any run of characters (dots included), <c>?</c> one character.</summary>
    public static HookFilter Glob(string pattern)
    {
        var regex = new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.CultureInvariant);
        return new(null, regex.IsMatch, pattern, true);
    }

    /// <summary>A name with <c>*</c> or <c>?</c> is a glob; anything else an exact name.</summary>
    public static HookFilter Parse(string nameOrGlob)
        => nameOrGlob.IndexOfAny(['*', '?']) >= 0 ? Glob(nameOrGlob) : Exact(nameOrGlob);

    public static implicit operator HookFilter(string nameOrGlob) => Parse(nameOrGlob);
    public static implicit operator HookFilter(string[] names) => AnyOf(names);
    public static implicit operator HookFilter(Func<string, bool> predicate) => Where(predicate);

    /// <summary>The points of <paramref name="table"/> this filter selects, in firing order.</summary>
    public IReadOnlyList<HookPoint> Select(HookPointTable table)
    {
        if (_names is not null)
        {
            var points = _names.Select(n => table[n]).Distinct().OrderBy(p => p.Id).ToList();
            return points;
        }
        var selected = _predicate is null
            ? table.Points.Where(p => !p.Spec.Gated).ToList()
            : table.Points.Where(p => _predicate(p.Name)).ToList();
        if (selected.Count == 0 && _mustMatch)
            throw new UnknownHookException(_description, "the pattern matches no hook point of this model", NameSuggestions.Nearest(_description, table.Names));
        return selected;
    }

    public override string ToString() => _description;
}

using System.Globalization;

namespace Glassbox.Hooks;

/// <summary>Parses full hook names (<c>blocks.3.attn.hook_pattern</c>, <c>hook_embed</c>) against the catalog.</summary>
public static class HookNames
{
    /// <summary>True when <paramref name="name"/> is a catalog point; <paramref name="layer"/> is -1 for model-wide points.</summary>
    public static bool TryParse(string name, out HookPointSpec spec, out int layer)
    {
        layer = -1;
        spec = null!;
        if (name.StartsWith("blocks.", StringComparison.Ordinal))
        {
            int dot = name.IndexOf('.', 7);
            if (dot < 0 || !int.TryParse(name.AsSpan(7, dot - 7), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out layer)) return false;
            var found = HookCatalog.Find(name[(dot + 1)..], inBlock: true);
            if (found is null) return false;
            spec = found;
            return true;
        }
        var global = HookCatalog.Find(name, inBlock: false);
        if (global is null) return false;
        spec = global;
        return true;
    }
}

using System.Text.RegularExpressions;

namespace Glassbox.Hooks;

/// <summary>
/// TransformerLens's <c>utils.get_act_name</c>: short names to full hook names —
/// <c>("pattern", 3)</c> → <c>blocks.3.attn.hook_pattern</c>, <c>"q6"</c> → <c>blocks.6.attn.hook_q</c>,
/// <c>("scale", 2, "ln1")</c> → <c>blocks.2.ln1.hook_scale</c>, <c>"scale"</c> → <c>ln_final.hook_scale</c>.
/// Negative layers count from the end when the layer count is known. Also typed shortcuts: <c>Act.Pattern(5)</c>.
/// </summary>
public static partial class ActName
{
    static readonly Dictionary<string, string> NameAliases = new()
    {
        ["attn"] = "pattern", ["attn_logits"] = "attn_scores", ["key"] = "k", ["query"] = "q", ["value"] = "v",
        ["mlp_pre"] = "pre", ["mlp_mid"] = "mid", ["mlp_post"] = "post",
    };

    static readonly Dictionary<string, string> LayerTypeAliases = new()
    {
        ["a"] = "attn", ["m"] = "mlp", ["b"] = "", ["block"] = "", ["blocks"] = "", ["attention"] = "attn",
    };

    static readonly HashSet<string> AttnNames = ["k", "v", "q", "z", "rot_k", "rot_q", "result", "pattern", "attn_scores"];
    static readonly HashSet<string> MlpNames = ["pre", "post", "mid", "pre_linear"];

    [GeneratedRegex(@"^([a-z_]+?)(-?\d+)([a-z]?.*)$")]
    private static partial Regex NameWithLayer();

    /// <summary>The full hook name for a short or full name.</summary>
    /// <remarks>When <paramref name="nLayers"/> is given, negative layers count from the end.</remarks>
    public static string Resolve(string name, int? layer = null, string? layerType = null, int? nLayers = null)
    {
        if ((name.Contains('.') || name.StartsWith("hook_", StringComparison.Ordinal)) && layer is null && layerType is null)
            return name;
        var match = NameWithLayer().Match(name);
        if (match.Success && layer is null)
        {
            name = match.Groups[1].Value;
            layer = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            layerType = match.Groups[3].Value.Length > 0 ? match.Groups[3].Value : layerType;
        }
        if (NameAliases.TryGetValue(name, out var alias)) name = alias;
        if (layer is < 0 && nLayers is int n) layer += n;

        string full = layer is null ? "" : $"blocks.{layer}.";
        if (AttnNames.Contains(name)) layerType = "attn";
        else if (MlpNames.Contains(name)) layerType = "mlp";
        else if (layerType is not null && LayerTypeAliases.TryGetValue(layerType, out var lt)) layerType = lt;
        if (!string.IsNullOrEmpty(layerType)) full += layerType + ".";
        full += "hook_" + name;
        if (name is "scale" or "normalized" && layer is null) full = "ln_final." + full;
        return full;
    }
}

/// <summary>Typed shortcuts for common hook names.</summary>
public static class Act
{
    public static string Embed => "hook_embed";
    public static string PosEmbed => "hook_pos_embed";
    public static string ResidPre(int layer) => $"blocks.{layer}.hook_resid_pre";
    public static string ResidMid(int layer) => $"blocks.{layer}.hook_resid_mid";
    public static string ResidPost(int layer) => $"blocks.{layer}.hook_resid_post";
    public static string AttnOut(int layer) => $"blocks.{layer}.hook_attn_out";
    public static string MlpOut(int layer) => $"blocks.{layer}.hook_mlp_out";
    public static string Q(int layer) => $"blocks.{layer}.attn.hook_q";
    public static string K(int layer) => $"blocks.{layer}.attn.hook_k";
    public static string V(int layer) => $"blocks.{layer}.attn.hook_v";
    public static string Z(int layer) => $"blocks.{layer}.attn.hook_z";
    public static string Result(int layer) => $"blocks.{layer}.attn.hook_result";
    public static string AttnScores(int layer) => $"blocks.{layer}.attn.hook_attn_scores";
    public static string Pattern(int layer) => $"blocks.{layer}.attn.hook_pattern";
    public static string MlpPre(int layer) => $"blocks.{layer}.mlp.hook_pre";
    public static string MlpPost(int layer) => $"blocks.{layer}.mlp.hook_post";
    public static string Logits => "unembed.hook_out";
}

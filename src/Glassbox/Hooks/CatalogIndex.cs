namespace Glassbox.Hooks;

/// <summary>Catalog positions of the points the forward pass fires, looked up once.</summary>
internal static class CatalogIndex
{
    public static readonly int Embed = IndexOf("hook_embed", false);
    public static readonly int PosEmbed = IndexOf("hook_pos_embed", false);
    public static readonly int ResidPre = IndexOf("hook_resid_pre");
    public static readonly int AttnIn = IndexOf("hook_attn_in");
    public static readonly int QInput = IndexOf("hook_q_input");
    public static readonly int KInput = IndexOf("hook_k_input");
    public static readonly int VInput = IndexOf("hook_v_input");
    public static readonly int Ln1Scale = IndexOf("ln1.hook_scale");
    public static readonly int Ln1Normalized = IndexOf("ln1.hook_normalized");
    public static readonly int Q = IndexOf("attn.hook_q");
    public static readonly int K = IndexOf("attn.hook_k");
    public static readonly int V = IndexOf("attn.hook_v");
    public static readonly int RotQ = IndexOf("attn.hook_rot_q");
    public static readonly int RotK = IndexOf("attn.hook_rot_k");
    public static readonly int AttnScores = IndexOf("attn.hook_attn_scores");
    public static readonly int Pattern = IndexOf("attn.hook_pattern");
    public static readonly int Z = IndexOf("attn.hook_z");
    public static readonly int Result = IndexOf("attn.hook_result");
    public static readonly int AttnOut = IndexOf("hook_attn_out");
    public static readonly int ResidMid = IndexOf("hook_resid_mid");
    public static readonly int MlpIn = IndexOf("hook_mlp_in");
    public static readonly int Ln2Scale = IndexOf("ln2.hook_scale");
    public static readonly int Ln2Normalized = IndexOf("ln2.hook_normalized");
    public static readonly int MlpPre = IndexOf("mlp.hook_pre");
    public static readonly int MlpPreLinear = IndexOf("mlp.hook_pre_linear");
    public static readonly int MlpPost = IndexOf("mlp.hook_post");
    public static readonly int MlpOut = IndexOf("hook_mlp_out");
    public static readonly int ResidPost = IndexOf("hook_resid_post");
    public static readonly int LnFinalScale = IndexOf("ln_final.hook_scale", false);
    public static readonly int LnFinalNormalized = IndexOf("ln_final.hook_normalized", false);
    public static readonly int UnembedIn = IndexOf("unembed.hook_in", false);
    public static readonly int UnembedOut = IndexOf("unembed.hook_out", false);

    public static int Of(HookPointSpec spec)
    {
        var all = HookCatalog.All;
        for (int i = 0; i < all.Count; i++) if (ReferenceEquals(all[i], spec)) return i;
        throw new ArgumentException($"{spec} is not a catalog entry.");
    }

    static int IndexOf(string name, bool inBlock = true)
    {
        var spec = HookCatalog.Find(name, inBlock) ?? throw new InvalidOperationException($"The hook catalog lacks {name}.");
        return Of(spec);
    }
}

using Glassbox.Hooks;

namespace Glassbox.Models;

/// <summary>
/// A two-layer attention-only transformer whose weights are written by hand, so that it provably
/// contains a previous-token head (L0H0) and an induction head (L1H1) — the circuit behind in-context
/// copying. Nothing is downloaded or trained: the demo and the examples run on it anywhere.
/// <para>
/// The residual stream (d_model = 3·V + n_ctx) is split into four subspaces, each one-hot:
/// TOK [0, V) the current token (W_E), POS [V, V+n_ctx) the position (W_pos), PREV the token one
/// position back (written by L0H0), OUT the predicted next token (written by L1H1, read by W_U).
/// </para>
/// <list type="bullet">
/// <item>L0H0, previous-token head: the query of position i is POS(i), the key of position j is
/// POS(j+1), so position i attends to i−1; its OV circuit copies TOK of the attended position into PREV.</item>
/// <item>L1H1, induction head: the query is TOK(current), the key is PREV, so a token attends to the
/// position right after its earlier occurrence; its OV circuit copies that position's TOK into OUT,
/// and W_U reads OUT: the model predicts that the sequence repeats.</item>
/// <item>L0H1 and L1H0 have zero weights: uniform attention, no output (controls for the scores).</item>
/// </list>
/// Scores of matching query/key pairs are <see cref="MatchScore"/> after the 1/√d_head scale, so
/// those heads put ≈ 1 − n·e^−12 of their attention on the match.
/// </summary>
public static class InductionDemoModel
{
    public const int Vocab = 64;
    public const int Context = 64;
    public const float MatchScore = 12f;
    const float OutputGain = 10f;

    /// <summary>A short word per token id, so pictures show words.</summary>
    public static IReadOnlyList<string> Words { get; } =
    [
        "the", "cat", "dog", "sat", "on", "a", "mat", "and", "ran", "to", "big", "red", "ball", "sun", "moon", "tree",
        "bird", "sang", "in", "park", "boy", "girl", "saw", "fish", "blue", "sea", "ship", "sail", "wind", "rain", "snow", "hill",
        "king", "queen", "old", "new", "cup", "tea", "hot", "cold", "book", "read", "star", "night", "day", "fox", "jump", "over",
        "lazy", "green", "frog", "pond", "door", "key", "box", "lamp", "light", "dark", "road", "car", "fast", "slow", "home", "end",
    ];

    /// <summary>The hook points of the constructed heads, for tests and the demo.</summary>
    public static (int Layer, int Head) PreviousTokenHead => (0, 0);
    public static (int Layer, int Head) InductionHead => (1, 1);

    public static ModelConfig Config { get; } = new ModelConfig
    {
        ModelName = "induction-demo",
        Family = ModelFamily.AttentionOnly,
        NLayers = 2, DModel = 3 * Vocab + Context, NHeads = 2, DHead = Math.Max(Vocab, Context),
        DVocab = Vocab, NCtx = Context, AttnOnly = true,
        Normalization = NormalizationType.None, PositionalEmbedding = PositionalEmbeddingType.Standard, TiedEmbeddings = false,
    }.Validated();

    public static HookedTransformer Create() => new(Config, Weights());

    /// <summary>Token ids of space-separated <see cref="Words"/>; unknown words are an error naming them.</summary>
    public static int[] Encode(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w =>
    {
        int id = Words.ToList().IndexOf(w.ToLowerInvariant());
        return id >= 0 ? id : throw new ArgumentException($"'{w}' is not in the demo vocabulary ({string.Join(" ", Words.Take(8))} ...).");
    }).ToArray();

    static TransformerWeights Weights()
    {
        var c = Config;
        int d = c.DModel, dh = c.DHead, h = c.NHeads, v = Vocab, n = Context;
        int tok = 0, pos = v, prev = v + n, output = 2 * v + n;
        float query = MatchScore * MathF.Sqrt(dh);

        var we = new float[v * d];
        for (int t = 0; t < v; t++) we[t * d + tok + t] = 1;
        var wpos = new float[n * d];
        for (int p = 0; p < n; p++) wpos[p * d + pos + p] = 1;

        LayerWeights Layer() => new()
        {
            WQ = new float[d * h * dh], WK = new float[d * h * dh], WV = new float[d * h * dh], WO = new float[h * dh * d],
            BQ = new float[h * dh], BK = new float[h * dh], BV = new float[h * dh], BO = new float[d],
        };
        // W_Q/W_K/W_V are [d_model, heads·d_head]; W_O is [heads·d_head, d_model].
        void Set(float[] w, int row, int head, int col, float value) => w[row * h * dh + head * dh + col] = value;

        var l0 = Layer();
        for (int p = 0; p < n; p++)
        {
            Set(l0.WQ, pos + p, 0, p, query);                     // query of position i: e_i
            if (p + 1 < n) Set(l0.WK, pos + p, 0, p + 1, 1);      // key of position j: e_{j+1}
        }
        for (int t = 0; t < v; t++)
        {
            Set(l0.WV, tok + t, 0, t, 1);                         // value: the attended token
            l0.WO[(0 * dh + t) * d + prev + t] = 1;               // written to PREV
        }

        var l1 = Layer();
        for (int t = 0; t < v; t++)
        {
            Set(l1.WQ, tok + t, 1, t, query);                     // query: the current token
            Set(l1.WK, prev + t, 1, t, 1);                        // key: the token before the key position
            Set(l1.WV, tok + t, 1, t, 1);                         // value: the key position's token
            l1.WO[(1 * dh + t) * d + output + t] = 1;             // written to OUT
        }

        var wu = new float[d * v];
        for (int t = 0; t < v; t++) wu[(output + t) * v + t] = OutputGain;
        return new TransformerWeights { WE = we, WPos = wpos, Layers = [l0, l1], WU = wu };
    }
}

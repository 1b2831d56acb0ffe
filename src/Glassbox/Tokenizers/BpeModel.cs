using System.Text;

namespace Glassbox.Tokenizers;

/// <summary>Options of a BPE model beyond its vocabulary and merges (Hugging Face <c>model</c> fields).</summary>
internal sealed record BpeOptions
{
    /// <summary>The unknown token, given to characters missing from the vocabulary; null drops them.</summary>
    public string? UnknownToken { get; init; }

    /// <summary>Consecutive unknown characters become one unknown token.</summary>
    public bool FuseUnknown { get; init; }

    /// <summary>A character missing from the vocabulary becomes its UTF-8 bytes as <c>&lt;0xXX&gt;</c> tokens.</summary>
    public bool ByteFallback { get; init; }

    /// <summary>A word found whole in the vocabulary is that one token, whatever the merges would give.</summary>
    public bool IgnoreMerges { get; init; }
}

/// <summary>
/// A byte-pair-encoding model as Hugging Face <c>tokenizers</c> runs it: a word starts as one symbol per
/// character (or per UTF-8 byte with byte fallback), then the adjacent pair with the lowest merge rank merges,
/// leftmost first, until no listed pair is left. Results are cached per word (words of up to 256 characters).
/// </summary>
internal sealed class BpeModel
{
    private const int CacheCapacity = 10_000;

    /// <summary>Longer words (a whole text, when there is no pre-tokenizer) are not worth keeping.</summary>
    private const int MaxCachedWordLength = 256;

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> vocabBySpan;
    private readonly RankedMerges merges;
    private readonly int[]? byteIds;
    private readonly int? unknownId;
    private readonly BpeOptions options;
    private readonly BoundedCache<int[]> cache = new(CacheCapacity);

    private BpeModel(Dictionary<string, int> vocab, string?[] idToToken, RankedMerges merges, int[]? byteIds, int? unknownId, BpeOptions options)
    {
        vocabBySpan = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        IdToTokenTable = idToToken;
        this.merges = merges;
        this.byteIds = byteIds;
        this.unknownId = unknownId;
        this.options = options;
    }

    /// <summary>Token strings by id; null where the vocabulary has no such id.</summary>
    public string?[] IdToTokenTable { get; }

    /// <summary>
    /// Builds the model. Merges are (left, right) token pairs in rank order; each side and their concatenation
    /// must be in the vocabulary (as the Hugging Face library requires). Problems are reported against
    /// <paramref name="sourceFile"/>.
    /// </summary>
    public static BpeModel Create(Dictionary<string, int> vocab, IReadOnlyList<MergeRule> mergeList, BpeOptions options, string sourceFile)
    {
        int maxId = -1;
        foreach (int id in vocab.Values)
        {
            if (id < 0) throw new TokenizerFormatException(sourceFile, $"vocabulary id {id} is negative.");
            maxId = Math.Max(maxId, id);
        }
        var idToToken = new string?[maxId + 1];
        foreach (var (token, id) in vocab)
        {
            // Two strings with one id: keep the first, as a reverse map built in file order would.
            idToToken[id] ??= token;
        }

        var table = new Dictionary<long, (int Rank, int Merged)>(mergeList.Count, PairKey.Comparer);
        var vocabBySpan = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        char[] joined = new char[64];
        for (int rank = 0; rank < mergeList.Count; rank++)
        {
            MergeRule rule = mergeList[rank];
            if (!vocabBySpan.TryGetValue(rule.Left, out int l) || !vocabBySpan.TryGetValue(rule.Right, out int r))
            {
                string missing = vocabBySpan.ContainsKey(rule.Left) ? rule.Right.ToString() : rule.Left.ToString();
                throw new TokenizerFormatException(sourceFile, $"merge {rank + 1} ('{rule}') uses '{missing}', which is not in the vocabulary.");
            }
            ReadOnlySpan<char> whole = rule.Text;
            if (rule.RightStart != rule.LeftLength)
            {
                int length = rule.LeftLength + rule.Right.Length;
                if (joined.Length < length) joined = new char[Math.Max(length, joined.Length * 2)];
                rule.Left.CopyTo(joined);
                rule.Right.CopyTo(joined.AsSpan(rule.LeftLength));
                whole = joined.AsSpan(0, length);
            }
            if (!vocabBySpan.TryGetValue(whole, out int merged))
            {
                throw new TokenizerFormatException(sourceFile, $"merge {rank + 1} ('{rule}') makes '{whole}', which is not in the vocabulary.");
            }
            table[PairKey.Of(l, r)] = (rank, merged);
        }

        int? unknownId = null;
        if (options.UnknownToken is { } unk)
        {
            if (!vocab.TryGetValue(unk, out int u))
                throw new TokenizerFormatException(sourceFile, $"the unknown token '{unk}' is not in the vocabulary.");
            unknownId = u;
        }

        int[]? byteIds = null;
        if (options.ByteFallback)
        {
            byteIds = new int[256];
            for (int b = 0; b < 256; b++) byteIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out int id) ? id : -1;
        }

        return new BpeModel(vocab, idToToken, new RankedMerges(table), byteIds, unknownId, options);
    }

    /// <summary>The id of <paramref name="token"/>, or -1.</summary>
    public int TokenToId(ReadOnlySpan<char> token) => vocabBySpan.TryGetValue(token, out int id) ? id : -1;

    /// <summary>Appends the ids of one pre-tokenized word.</summary>
    public void Tokenize(ReadOnlySpan<char> word, List<int> output)
    {
        if (word.IsEmpty) return;
        if (options.IgnoreMerges && vocabBySpan.TryGetValue(word, out int whole))
        {
            output.Add(whole);
            return;
        }
        bool cacheable = word.Length <= MaxCachedWordLength;
        if (cacheable && cache.TryGet(word, out int[] cached))
        {
            output.AddRange(cached);
            return;
        }

        var symbols = new List<int>(word.Length);
        Split(word, symbols);
        int start = output.Count;
        BpeMerger.ForCurrentThread.Merge(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(symbols), merges, output);
        if (cacheable) cache.Add(word, output.GetRange(start, output.Count - start).ToArray());
    }

    /// <summary>One symbol per character; byte fallback and unknown handling as in the Hugging Face library.</summary>
    private void Split(ReadOnlySpan<char> word, List<int> symbols)
    {
        bool unknownPending = false;
        Span<byte> utf8 = stackalloc byte[4];
        int i = 0;
        while (i < word.Length)
        {
            int width = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            ReadOnlySpan<char> ch = word.Slice(i, width);
            i += width;

            if (vocabBySpan.TryGetValue(ch, out int id))
            {
                if (unknownPending)
                {
                    symbols.Add(unknownId!.Value);
                    unknownPending = false;
                }
                symbols.Add(id);
                continue;
            }
            if (byteIds is not null)
            {
                int n = Encoding.UTF8.GetBytes(ch, utf8);
                bool all = true;
                for (int b = 0; b < n; b++) all &= byteIds[utf8[b]] >= 0;
                if (all)
                {
                    // As in the original, a pending unknown token is not written before the bytes.
                    for (int b = 0; b < n; b++) symbols.Add(byteIds[utf8[b]]);
                    continue;
                }
            }
            if (unknownId is { } unk)
            {
                if (unknownPending && !options.FuseUnknown) symbols.Add(unk);
                unknownPending = true;
            }
        }
        if (unknownPending) symbols.Add(unknownId!.Value);
    }

    /// <summary>Merge rules by rank: the pair (left, right) merges into the vocabulary id of their concatenation.</summary>
    private readonly struct RankedMerges(Dictionary<long, (int Rank, int Merged)> table) : IPairMerges
    {
        public bool TryGetMerge(int left, int right, out double priority, out int merged)
        {
            if (table.TryGetValue(PairKey.Of(left, right), out var m))
            {
                priority = m.Rank;
                merged = m.Merged;
                return true;
            }
            priority = 0;
            merged = 0;
            return false;
        }
    }
}

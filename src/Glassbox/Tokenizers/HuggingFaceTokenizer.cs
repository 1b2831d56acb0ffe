using Glassbox.Tokenizers.HuggingFace;

namespace Glassbox.Tokenizers;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> with a BPE model, run as the <c>tokenizers</c> library runs it: added
/// tokens are matched first (those with <c>normalized: false</c> in the raw text, the others after
/// normalization), each stretch between them is normalized, pre-tokenized and encoded by the model, and the
/// post-processor adds BOS/EOS when special tokens are asked for. Decoding runs the file's decoder chain.
/// </summary>
public sealed class HuggingFaceTokenizer : ITokenizer
{
    private readonly TokenizerJson pipeline;
    private readonly Dictionary<int, AddedToken> addedById = new();
    private readonly Dictionary<string, int> addedByContent = new(StringComparer.Ordinal);
    private readonly HashSet<int> specialIds = new();
    private readonly SpecialTokenMatcher rawMatcher;
    private readonly SpecialTokenMatcher normalizedMatcher;

    private HuggingFaceTokenizer(TokenizerJson pipeline, TokenizerConfig config, string path)
    {
        this.pipeline = pipeline;
        int maxId = pipeline.Model.IdToTokenTable.Length - 1;
        var raw = new List<SpecialTokenPattern>();
        var normalized = new List<SpecialTokenPattern>();
        foreach (AddedToken token in pipeline.AddedTokens)
        {
            addedById[token.Id] = token;
            addedByContent[token.Content] = token.Id;
            if (token.Special) specialIds.Add(token.Id);
            maxId = Math.Max(maxId, token.Id);
            if (token.Normalized) normalized.Add(token.ToPattern(pipeline.Normalizer?.Normalize(token.Content) ?? token.Content));
            else raw.Add(token.ToPattern(token.Content));
        }
        rawMatcher = new SpecialTokenMatcher(raw);
        normalizedMatcher = new SpecialTokenMatcher(normalized);
        VocabSize = maxId + 1;
        Path = path;

        int? Added(string content) => addedByContent.TryGetValue(content, out int id) ? id : null;
        int? FirstAdded(params string[] names) => names.Select(Added).FirstOrDefault(id => id is not null);
        int? bos = pipeline.PostProcessor.Prefix.Length > 0 ? pipeline.PostProcessor.Prefix[0]
            : FirstAdded("<s>", "<|begin_of_text|>", "<bos>", "<|startoftext|>", "<|endoftext|>");
        int? eos = pipeline.PostProcessor.Suffix.Length > 0 ? pipeline.PostProcessor.Suffix[^1]
            : FirstAdded("</s>", "<|end_of_text|>", "<eos>", "<|endoftext|>");
        int? pad = FirstAdded("<pad>", "[PAD]", "<|pad|>");
        BosTokenId = config.Bos.Resolve(TokenToId, bos);
        EosTokenId = config.Eos.Resolve(TokenToId, eos);
        PadTokenId = config.Pad.Resolve(TokenToId, pad);
    }

    /// <summary>The tokenizer.json this was loaded from.</summary>
    public string Path { get; }

    public int VocabSize { get; }
    public int? BosTokenId { get; }
    public int? EosTokenId { get; }
    public int? PadTokenId { get; }

    /// <summary>
    /// Loads a tokenizer.json. BOS/EOS/PAD come from a <c>tokenizer_config.json</c> beside it when there is one;
    /// otherwise BOS is the token the post-processor puts first and EOS the one it puts last, or else an added
    /// token with a conventional name (<c>&lt;s&gt;</c>, <c>&lt;|begin_of_text|&gt;</c>, <c>&lt;|endoftext|&gt;</c>, …).
    /// </summary>
    public static HuggingFaceTokenizer Load(string path)
    {
        TokenizerJson pipeline = TokenizerJson.Read(path);
        var config = TokenizerConfig.ReadFromFolder(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        return new HuggingFaceTokenizer(pipeline, config, path);
    }

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 4);
        if (addSpecialTokens) ids.AddRange(pipeline.PostProcessor.Prefix);

        var segments = new List<TextSegment>();
        var inner = new List<TextSegment>();
        var pieces = new List<Piece>();
        rawMatcher.Split(text, segments);
        foreach (TextSegment segment in segments)
        {
            if (segment.IsToken)
            {
                ids.Add(segment.TokenId);
                continue;
            }
            string section = text.Substring(segment.Start, segment.End - segment.Start);
            if (pipeline.Normalizer is { } normalizer) section = normalizer.Normalize(section);
            inner.Clear();
            normalizedMatcher.Split(section, inner);
            foreach (TextSegment part in inner)
            {
                if (part.IsToken)
                {
                    ids.Add(part.TokenId);
                    continue;
                }
                var piece = new Piece(part.Start == 0 && part.End == section.Length ? section : section[part.Start..part.End],
                    AtStart: segment.Start == 0 && part.Start == 0);
                pieces.Clear();
                if (pipeline.PreTokenizer is { } preTokenizer) preTokenizer.Split(piece, pieces);
                else pieces.Add(piece);
                foreach (Piece word in pieces) pipeline.Model.Tokenize(word.Text, ids);
            }
        }

        if (addSpecialTokens) ids.AddRange(pipeline.PostProcessor.Suffix);
        return ids.ToArray();
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>();
        foreach (int id in ids)
        {
            string token = IdToToken(id);
            if (skipSpecialTokens && specialIds.Contains(id)) continue;
            tokens.Add(token);
        }
        if (pipeline.Decoder is null) return string.Join(' ', tokens);
        pipeline.Decoder.DecodeChain(tokens, wholeText: true);
        return string.Concat(tokens);
    }

    public IReadOnlyList<string> ToStrTokens(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new List<string>();
        var tokens = new List<string>(1);
        foreach (int id in ids)
        {
            tokens.Clear();
            tokens.Add(IdToToken(id));
            pipeline.Decoder?.DecodeChain(tokens, wholeText: false);
            result.Add(string.Concat(tokens));
        }
        return result;
    }

    public string IdToToken(int id)
    {
        if (addedById.TryGetValue(id, out AddedToken? added)) return added.Content;
        string?[] table = pipeline.Model.IdToTokenTable;
        return (uint)id < (uint)table.Length && table[id] is { } token
            ? token
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary of '{Path}' (size {VocabSize}).");
    }

    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (addedByContent.TryGetValue(token, out int id)) return id;
        int modelId = pipeline.Model.TokenToId(token);
        return modelId >= 0 ? modelId : null;
    }
}

using System.Text;
using System.Text.Json;

namespace Glassbox.Tokenizers;

/// <summary>
/// GPT-2's byte-level BPE from <c>vocab.json</c> + <c>merges.txt</c> (or OpenAI's <c>encoder.json</c> +
/// <c>vocab.bpe</c>), as OpenAI's <c>encoder.py</c> encodes: split with GPT-2's pattern, write each piece's UTF-8
/// bytes in the byte-level alphabet, merge by rank. <c>&lt;|endoftext|&gt;</c> in the text is ordinary text
/// unless the tokenizer allows special tokens in text (<see cref="WithSpecialTokensInText"/>), in which case it
/// is its id, as tiktoken's <c>allowed_special="all"</c> gives.
/// </summary>
public sealed class Gpt2BpeTokenizer : ITokenizer
{
    /// <summary>GPT-2's end-of-text token, its BOS and EOS.</summary>
    public const string EndOfText = "<|endoftext|>";

    private readonly BpeModel model;
    private readonly SpecialTokenMatcher specials;
    private readonly HashSet<int> specialIds;
    private readonly bool addBos;
    private readonly bool addEos;

    private Gpt2BpeTokenizer(BpeModel model, SpecialTokenMatcher specials, HashSet<int> specialIds, int? bos, int? eos, int? pad, bool addBos, bool addEos, bool allowSpecialInText)
    {
        this.model = model;
        this.specials = specials;
        this.specialIds = specialIds;
        BosTokenId = bos;
        EosTokenId = eos;
        PadTokenId = pad;
        this.addBos = addBos;
        this.addEos = addEos;
        AllowSpecialTokensInText = allowSpecialInText;
        VocabSize = model.IdToTokenTable.Length;
    }

    /// <summary>Whether special-token strings in the text are matched as their ids.</summary>
    public bool AllowSpecialTokensInText { get; }

    public int VocabSize { get; }
    public int? BosTokenId { get; }
    public int? EosTokenId { get; }
    public int? PadTokenId { get; }

    /// <summary>
    /// Loads a vocabulary file and a merges file. A <c>tokenizer_config.json</c> in the same folder, if any,
    /// names the BOS/EOS/PAD tokens and whether <c>addSpecialTokens</c> adds BOS/EOS; without one, BOS and EOS are
    /// <c>&lt;|endoftext|&gt;</c> and nothing is added (GPT-2's defaults).
    /// </summary>
    public static Gpt2BpeTokenizer Load(string vocabPath, string mergesPath, bool allowSpecialInText = false)
    {
        Dictionary<string, int> vocab;
        using (JsonDocument doc = JsonFile.Parse(vocabPath))
        {
            vocab = JsonFile.ReadVocabulary(doc.RootElement, vocabPath, "the vocabulary");
        }
        var merges = MergesFile.Read(mergesPath);
        BpeModel model;
        try
        {
            model = BpeModel.Create(vocab, merges, new BpeOptions(), mergesPath);
        }
        catch (TokenizerFormatException e) when (e.FilePath == mergesPath)
        {
            throw new TokenizerFormatException(mergesPath, e.Problem + $" (vocabulary: '{vocabPath}')", e);
        }

        var config = TokenizerConfig.ReadFromFolder(Path.GetDirectoryName(Path.GetFullPath(vocabPath))!);
        int? Lookup(string token) => vocab.TryGetValue(token, out int id) ? id : null;
        int? endOfText = Lookup(EndOfText);
        int? bos = config.Bos.Resolve(Lookup, endOfText);
        int? eos = config.Eos.Resolve(Lookup, endOfText);
        int? pad = config.Pad.Resolve(Lookup, null);
        int? unk = config.Unk.Resolve(Lookup, null);

        var specialIds = new HashSet<int>();
        foreach (int? id in new[] { endOfText, bos, eos, pad, unk })
        {
            if (id is { } i) specialIds.Add(i);
        }
        var matcher = new SpecialTokenMatcher(specialIds.Select(id => new SpecialTokenPattern(model.IdToTokenTable[id]!, id)));
        return new Gpt2BpeTokenizer(model, matcher, specialIds, bos, eos, pad,
            config.AddBosToken ?? false, config.AddEosToken ?? false, allowSpecialInText);
    }

    /// <summary>The same tokenizer (sharing its tables) with special-token matching in text switched on or off.</summary>
    public Gpt2BpeTokenizer WithSpecialTokensInText(bool allow) =>
        allow == AllowSpecialTokensInText ? this
            : new Gpt2BpeTokenizer(model, specials, specialIds, BosTokenId, EosTokenId, PadTokenId, addBos, addEos, allow);

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 2);
        if (addSpecialTokens && addBos && BosTokenId is { } bos) ids.Add(bos);
        if (AllowSpecialTokensInText && !specials.IsEmpty)
        {
            var segments = new List<TextSegment>();
            specials.Split(text, segments);
            foreach (TextSegment s in segments)
            {
                if (s.IsToken) ids.Add(s.TokenId);
                else EncodeOrdinary(text.AsSpan(s.Start, s.End - s.Start), ids);
            }
        }
        else
        {
            EncodeOrdinary(text, ids);
        }
        if (addSpecialTokens && addEos && EosTokenId is { } eos) ids.Add(eos);
        return ids.ToArray();
    }

    private void EncodeOrdinary(ReadOnlySpan<char> text, List<int> ids)
    {
        var pieces = new List<(int Start, int End)>();
        Gpt2SplitPattern.Instance.FindMatches(text, pieces);
        foreach (var (start, end) in pieces)
        {
            model.Tokenize(ByteLevelAlphabet.Encode(text[start..end]), ids);
        }
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if (skipSpecialTokens && specialIds.Contains(id)) continue;
            AppendBytes(IdToToken(id), bytes);
        }
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    public IReadOnlyList<string> ToStrTokens(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var result = new List<string>();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            bytes.Clear();
            AppendBytes(IdToToken(id), bytes);
            result.Add(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)));
        }
        return result;
    }

    public string IdToToken(int id) =>
        (uint)id < (uint)model.IdToTokenTable.Length && model.IdToTokenTable[id] is { } token
            ? token
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary (size {VocabSize}).");

    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        int id = model.TokenToId(token);
        return id >= 0 ? id : null;
    }

    private static void AppendBytes(string token, List<byte> bytes)
    {
        // Every piece of a GPT-2 vocabulary is in the byte-level alphabet; a piece that is not stands for itself.
        if (!ByteLevelAlphabet.TryAppendBytes(token, bytes)) bytes.AddRange(Encoding.UTF8.GetBytes(token));
    }
}

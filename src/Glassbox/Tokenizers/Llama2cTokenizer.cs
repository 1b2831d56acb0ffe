using System.Buffers.Binary;
using System.Text;

namespace Glassbox.Tokenizers;

/// <summary>
/// The llama2.c tokenizer (<c>tokenizer.bin</c>, <c>tok512.bin</c>: int32 max_token_length, then per id a float32
/// score, an int32 byte length and the piece's bytes), encoding exactly as <c>run.c</c>'s <c>encode()</c>:
/// the dummy-prefix piece <c>" "</c> for non-empty text, one piece per UTF-8 code point (a code point that is not a
/// piece becomes one token per byte, id = byte + 3), then repeatedly the adjacent pair whose concatenation is
/// the piece with the highest score merges, leftmost on ties. BOS is 1 and EOS 2; there is no special-token
/// parsing, so <c>&lt;s&gt;</c> in the text is text.
/// </summary>
public sealed class Llama2cTokenizer : ITokenizer
{
    /// <summary>run.c starts its search for the best pair at this score; pieces scoring at most this never merge.</summary>
    private const float NoMergeScore = -1e10f;

    private const int UnknownId = 0;
    private const int BosId = 1;
    private const int EosId = 2;

    private readonly byte[][] pieces;
    private readonly string[] tokens;
    private readonly float[] scores;
    private readonly Dictionary<string, int> byToken;
    private readonly Dictionary<int, int> byCodePoint;
    private readonly Dictionary<long, int> pairs;
    private readonly int dummyPrefixId;

    private Llama2cTokenizer(byte[][] pieces, float[] scores, int maxTokenLength)
    {
        this.pieces = pieces;
        this.scores = scores;
        MaxTokenLength = maxTokenLength;
        tokens = new string[pieces.Length];
        byToken = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        byCodePoint = new Dictionary<int, int>();
        var byBytes = new Dictionary<string, int>(pieces.Length, StringComparer.Ordinal);
        for (int id = 0; id < pieces.Length; id++)
        {
            byte[] piece = pieces[id];
            tokens[id] = Encoding.UTF8.GetString(piece);
            byToken.TryAdd(tokens[id], id);
            // run.c finds pieces by bsearch over the byte strings; with no duplicate pieces, any id found is the one.
            byBytes.TryAdd(Encoding.Latin1.GetString(piece), id);
            if (Rune.DecodeFromUtf8(piece, out Rune rune, out int consumed) == System.Buffers.OperationStatus.Done && consumed == piece.Length)
                byCodePoint.TryAdd(rune.Value, id);
        }
        // The SentencePiece names of BOS and EOS (the export wraps them in newlines) also find them.
        byToken.TryAdd("<s>", BosId);
        byToken.TryAdd("</s>", EosId);
        dummyPrefixId = byBytes.TryGetValue(" ", out int space) ? space : -1;

        // Every way to write a piece as the concatenation of two pieces: exactly the pairs run.c's
        // look-up of "left right" concatenations can find.
        pairs = new Dictionary<long, int>(PairKey.Comparer);
        var bySpan = byBytes.GetAlternateLookup<ReadOnlySpan<char>>();
        for (int id = 0; id < pieces.Length; id++)
        {
            string whole = Encoding.Latin1.GetString(pieces[id]);
            int merged = byBytes[whole];
            for (int cut = 1; cut < whole.Length; cut++)
            {
                if (bySpan.TryGetValue(whole.AsSpan(0, cut), out int left) && bySpan.TryGetValue(whole.AsSpan(cut), out int right))
                    pairs.TryAdd(PairKey.Of(left, right), merged);
            }
        }
    }

    /// <summary>The longest piece in bytes, as the file states it.</summary>
    public int MaxTokenLength { get; }

    public int VocabSize => pieces.Length;
    public int? BosTokenId => BosId;
    public int? EosTokenId => EosId;
    public int? PadTokenId => null;

    /// <summary>
    /// Reads a llama2.c tokenizer file. run.c takes the number of pieces from the model; without
    /// <paramref name="vocabSize"/> the file is read to its end, with it the file must hold exactly that many.
    /// </summary>
    public static Llama2cTokenizer Load(string path, int? vocabSize = null)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"Tokenizer file '{path}' does not exist.", path, e);
        }
        if (data.Length < 4) throw new TokenizerFormatException(path, $"is {data.Length} bytes long, too short for the int32 max_token_length header of a llama2.c tokenizer.");
        int maxTokenLength = BinaryPrimitives.ReadInt32LittleEndian(data);
        if (maxTokenLength <= 0 || maxTokenLength > 1 << 16)
            throw new TokenizerFormatException(path, $"max_token_length is {maxTokenLength}; this is not a llama2.c tokenizer file.");

        var pieces = new List<byte[]>();
        var scores = new List<float>();
        int offset = 4;
        while (offset < data.Length && (vocabSize is null || pieces.Count < vocabSize))
        {
            int id = pieces.Count;
            if (data.Length - offset < 8)
                throw new TokenizerFormatException(path, $"is truncated: piece {id} at byte {offset} needs a float32 score and an int32 length, but only {data.Length - offset} bytes remain.");
            float score = BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(offset));
            int length = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset + 4));
            offset += 8;
            if (length < 0 || length > maxTokenLength)
                throw new TokenizerFormatException(path, $"piece {id} at byte {offset - 8} has length {length}, outside 0..max_token_length ({maxTokenLength}); the file is corrupt or not a llama2.c tokenizer.");
            if (data.Length - offset < length)
                throw new TokenizerFormatException(path, $"is truncated: piece {id} needs {length} bytes at byte {offset}, but only {data.Length - offset} remain.");
            pieces.Add(data.AsSpan(offset, length).ToArray());
            scores.Add(score);
            offset += length;
        }
        if (vocabSize is { } expected)
        {
            if (pieces.Count < expected)
                throw new TokenizerFormatException(path, $"is truncated: it holds {pieces.Count} pieces, the model needs {expected}.");
            if (offset != data.Length)
                throw new TokenizerFormatException(path, $"has {data.Length - offset} bytes after the {expected} pieces the model needs.");
        }
        if (pieces.Count < 259)
            throw new TokenizerFormatException(path, $"holds {pieces.Count} pieces; a llama2.c tokenizer has <unk>, <s>, </s> and the 256 byte pieces (ids 3-258) at least, so it is truncated or not a tokenizer.");
        return new Llama2cTokenizer(pieces.ToArray(), scores.ToArray(), maxTokenLength);
    }

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var symbols = new List<int>(text.Length + 2);
        if (addSpecialTokens) symbols.Add(BosId);
        if (text.Length > 0 && dummyPrefixId >= 0) symbols.Add(dummyPrefixId);

        Span<byte> utf8 = stackalloc byte[4];
        int i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int width);
            i += width;
            if (byCodePoint.TryGetValue(rune.Value, out int id))
            {
                symbols.Add(id);
                continue;
            }
            int n = rune.EncodeToUtf8(utf8);
            for (int b = 0; b < n; b++) symbols.Add(utf8[b] + 3);
        }

        var output = new List<int>(symbols.Count);
        BpeMerger.ForCurrentThread.Merge(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(symbols), new ScoredPairs(pairs, scores), output);
        return output.ToArray();
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        int previous = -1;
        foreach (int id in ids)
        {
            CheckId(id);
            if (!(skipSpecialTokens && id is UnknownId or BosId or EosId)) AppendPiece(id, previous == BosId, bytes);
            previous = id;
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
            CheckId(id);
            bytes.Clear();
            AppendPiece(id, afterBos: false, bytes);
            result.Add(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)));
        }
        return result;
    }

    /// <summary>The piece as the file stores it: spaces as <c>" "</c>, BOS and EOS as <c>"\n&lt;s&gt;\n"</c> and <c>"\n&lt;/s&gt;\n"</c>.</summary>
    public string IdToToken(int id)
    {
        CheckId(id);
        return tokens[id];
    }

    /// <summary>The id of a piece as the file stores it; <c>"&lt;s&gt;"</c> and <c>"&lt;/s&gt;"</c> also name BOS and EOS.</summary>
    public int? TokenToId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return byToken.TryGetValue(token, out int id) ? id : null;
    }

    /// <summary>run.c's decode(): the space after BOS goes, <c>&lt;0xXX&gt;</c> is that byte; BOS/EOS show as <c>&lt;s&gt;</c>/<c>&lt;/s&gt;</c>.</summary>
    private void AppendPiece(int id, bool afterBos, List<byte> bytes)
    {
        byte[] piece = pieces[id];
        if (id is BosId or EosId)
        {
            bytes.AddRange(Encoding.UTF8.GetBytes(tokens[id].Trim('\n')));
            return;
        }
        ReadOnlySpan<byte> span = piece;
        if (afterBos && span.Length > 0 && span[0] == (byte)' ') span = span[1..];
        if (TryParseByte(span, out byte value))
        {
            bytes.Add(value);
            return;
        }
        foreach (byte b in span) bytes.Add(b);
    }

    private static bool TryParseByte(ReadOnlySpan<byte> piece, out byte value)
    {
        value = 0;
        return piece.Length == 6 && piece[0] == '<' && piece[1] == '0' && piece[2] == 'x' && piece[5] == '>'
            && byte.TryParse(Encoding.ASCII.GetString(piece[3..5]), System.Globalization.NumberStyles.AllowHexSpecifier, null, out value);
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)pieces.Length)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary (size {pieces.Length}).");
    }

    /// <summary>run.c's merge rule: a pair merges when its concatenation is a piece; the highest score goes first.</summary>
    private readonly struct ScoredPairs(Dictionary<long, int> pairs, float[] scores) : IPairMerges
    {
        public bool TryGetMerge(int left, int right, out double priority, out int merged)
        {
            if (pairs.TryGetValue(PairKey.Of(left, right), out merged) && scores[merged] > NoMergeScore)
            {
                priority = -(double)scores[merged];
                return true;
            }
            priority = 0;
            return false;
        }
    }
}

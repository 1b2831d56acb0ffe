using System.Globalization;
using System.Text;

namespace Glassbox.Tokenizers.HuggingFace;

/// <summary>
/// A tokenizer.json <c>decoder</c>: rewrites the list of token strings (Hugging Face <c>decode_chain</c>); the
/// result is joined without separators. <c>wholeText</c> is false when a single token is decoded
/// for display (<see cref="ITokenizer.ToStrTokens"/>): decoders that strip the start or end of the whole text
/// (Strip, Metaspace's first token) then leave the token as it would be in the middle of a text.
/// </summary>
internal abstract class Decoder
{
    public abstract void DecodeChain(List<string> tokens, bool wholeText);
}

/// <summary><c>Sequence</c>: the decoders in order.</summary>
internal sealed class SequenceDecoder(IReadOnlyList<Decoder> steps) : Decoder
{
    public override void DecodeChain(List<string> tokens, bool wholeText)
    {
        foreach (Decoder step in steps) step.DecodeChain(tokens, wholeText);
    }
}

/// <summary>
/// <c>ByteLevel</c>: every token's characters back to bytes (a token with a character outside the byte-level
/// alphabet, such as an added token, contributes its own UTF-8), all joined and read as UTF-8 with U+FFFD for
/// invalid bytes.
/// </summary>
internal sealed class ByteLevelDecoder : Decoder
{
    public override void DecodeChain(List<string> tokens, bool wholeText)
    {
        var bytes = new List<byte>();
        foreach (string token in tokens)
        {
            if (!ByteLevelAlphabet.TryAppendBytes(token, bytes)) bytes.AddRange(Encoding.UTF8.GetBytes(token));
        }
        tokens.Clear();
        tokens.Add(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)));
    }
}

/// <summary><c>Replace</c>: in every token, each occurrence of a pattern becomes the content.</summary>
internal sealed class ReplaceDecoder(ReplaceNormalizer replace) : Decoder
{
    public override void DecodeChain(List<string> tokens, bool wholeText)
    {
        for (int i = 0; i < tokens.Count; i++) tokens[i] = replace.Apply(tokens[i]);
    }
}

/// <summary>
/// <c>ByteFallback</c>: runs of <c>&lt;0xXX&gt;</c> tokens become the text their bytes spell, or one U+FFFD per
/// byte when the run is not valid UTF-8.
/// </summary>
internal sealed class ByteFallbackDecoder : Decoder
{
    private static readonly UTF8Encoding strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override void DecodeChain(List<string> tokens, bool wholeText)
    {
        var output = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (string token in tokens)
        {
            if (TryParseByte(token, out byte value))
            {
                pending.Add(value);
                continue;
            }
            Flush(pending, output);
            output.Add(token);
        }
        Flush(pending, output);
        tokens.Clear();
        tokens.AddRange(output);
    }

    private static void Flush(List<byte> pending, List<string> output)
    {
        if (pending.Count == 0) return;
        try
        {
            output.Add(strict.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending)));
        }
        catch (DecoderFallbackException)
        {
            for (int i = 0; i < pending.Count; i++) output.Add("\uFFFD");
        }
        pending.Clear();
    }

    private static bool TryParseByte(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary><c>Fuse</c>: all tokens into one string.</summary>
internal sealed class FuseDecoder : Decoder
{
    public override void DecodeChain(List<string> tokens, bool wholeText)
    {
        string fused = string.Concat(tokens);
        tokens.Clear();
        tokens.Add(fused);
    }
}

/// <summary><c>Strip</c>: from every token, up to <c>start</c> leading and <c>stop</c> trailing copies of a character.</summary>
internal sealed class StripDecoder(char content, int start, int stop) : Decoder
{
    public override void DecodeChain(List<string> tokens, bool wholeText)
    {
        if (!wholeText) return;
        for (int i = 0; i < tokens.Count; i++)
        {
            string token = tokens[i];
            int from = 0;
            while (from < start && from < token.Length && token[from] == content) from++;
            int to = token.Length;
            while (token.Length - to < stop && to > from && token[to - 1] == content) to--;
            tokens[i] = token[from..to];
        }
    }
}

/// <summary>
/// <c>Metaspace</c>: the replacement character (▁) becomes a space; in the first token every ▁ is dropped
/// instead, unless the prepend scheme is "never" (the original's behaviour, kept as is).
/// </summary>
internal sealed class MetaspaceDecoder(char replacement, PrependScheme scheme) : Decoder
{
    public override void DecodeChain(List<string> tokens, bool wholeText)
    {
        for (int i = 0; i < tokens.Count; i++)
        {
            bool drop = i == 0 && wholeText && scheme != PrependScheme.Never;
            tokens[i] = drop ? tokens[i].Replace(replacement.ToString(), "", StringComparison.Ordinal) : tokens[i].Replace(replacement, ' ');
        }
    }
}

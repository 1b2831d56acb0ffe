using System.Text;
using System.Text.RegularExpressions;

namespace Glassbox.Tokenizers.HuggingFace;

/// <summary>A tokenizer.json <c>normalizer</c>: rewrites each stretch of text between added tokens.</summary>
internal abstract class Normalizer
{
    public abstract string Normalize(string text);
}

/// <summary><c>Sequence</c>: the normalizers in order.</summary>
internal sealed class SequenceNormalizer(IReadOnlyList<Normalizer> steps) : Normalizer
{
    public override string Normalize(string text)
    {
        foreach (Normalizer step in steps) text = step.Normalize(text);
        return text;
    }
}

/// <summary><c>Prepend</c>: puts a string in front of any non-empty text (SentencePiece's dummy prefix "▁").</summary>
internal sealed class PrependNormalizer(string prefix) : Normalizer
{
    public override string Normalize(string text) => text.Length == 0 ? text : prefix + text;
}

/// <summary><c>Replace</c>: every match of a string or regex becomes the literal content.</summary>
internal sealed class ReplaceNormalizer : Normalizer
{
    private readonly string? literal;
    private readonly Regex? regex;
    private readonly string content;

    public ReplaceNormalizer(string? literal, Regex? regex, string content)
    {
        this.literal = literal;
        this.regex = regex;
        this.content = content;
    }

    public override string Normalize(string text) => Apply(text);

    public string Apply(string text)
    {
        if (literal is not null) return literal.Length == 0 ? text : text.Replace(literal, content, StringComparison.Ordinal);
        return regex!.Replace(text, _ => content);
    }
}

/// <summary><c>NFC</c>, <c>NFD</c>, <c>NFKC</c>, <c>NFKD</c>: Unicode normalization forms.</summary>
internal sealed class UnicodeFormNormalizer(NormalizationForm form) : Normalizer
{
    public override string Normalize(string text) => UnicodeNormalization.Normalize(text, form);
}

/// <summary><c>Lowercase</c>: lower case by Unicode simple case mapping (Rust's full mapping differs only for a few characters such as U+0130).</summary>
internal sealed class LowercaseNormalizer : Normalizer
{
    public override string Normalize(string text) => text.ToLowerInvariant();
}

/// <summary><c>Strip</c>: removes whitespace at the start and/or the end.</summary>
internal sealed class StripNormalizer(bool left, bool right) : Normalizer
{
    public override string Normalize(string text)
    {
        ReadOnlySpan<char> span = text;
        if (left) span = span.TrimStart();
        if (right) span = span.TrimEnd();
        return span.Length == text.Length ? text : span.ToString();
    }
}

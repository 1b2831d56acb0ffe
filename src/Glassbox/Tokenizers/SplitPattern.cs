namespace Glassbox.Tokenizers;

/// <summary>
/// A pre-tokenization regex: finds the non-overlapping matches in a text, left to right. The patterns GPT-2,
/// Llama 3 and Qwen2/3 use are recognised and run by hand-written scanners that
/// work on code points (as the Rust, Python and C implementations do); any other pattern runs on .NET's
/// <see cref="System.Text.RegularExpressions.Regex"/>, which sees UTF-16 units.
/// </summary>
internal abstract class SplitPattern
{
    /// <summary>GPT-2's pattern (OpenAI <c>encoder.py</c>, the Hugging Face ByteLevel pre-tokenizer).</summary>
    public const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>The Llama 3 pattern (tiktoken's <c>cl100k_base</c> family): numbers of up to three digits.</summary>
    public const string Cl100k = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The same with single digits (Qwen2, Qwen2.5, Qwen3).</summary>
    public const string Cl100kSingleDigits = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>The pattern as written in the tokenizer file.</summary>
    public abstract string Pattern { get; }

    /// <summary>Appends the matches in <paramref name="text"/> as (start, end) pairs, in order.</summary>
    public abstract void FindMatches(ReadOnlySpan<char> text, List<(int Start, int End)> matches);

    /// <summary>The scanner for <paramref name="pattern"/>: hand-written when the pattern is a known one, else a .NET regex.</summary>
    public static SplitPattern Create(string pattern) => pattern switch
    {
        Gpt2 => Gpt2SplitPattern.Instance,
        Cl100k => new Cl100kSplitPattern(pattern, maxDigits: 3),
        Cl100kSingleDigits => new Cl100kSplitPattern(pattern, maxDigits: 1),
        _ => new RegexSplitPattern(pattern),
    };
}

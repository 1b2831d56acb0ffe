namespace Glassbox.Tokenizers;

/// <summary>
/// A tokenizer: text to token ids and back, exactly as the implementation the files come from does it.
/// Implementations are immutable after loading and safe to use from several threads at once.
/// </summary>
public interface ITokenizer
{
    /// <summary>One more than the largest token id (added tokens included).</summary>
    int VocabSize { get; }

    /// <summary>The beginning-of-sequence token, if the tokenizer has one.</summary>
    int? BosTokenId { get; }

    /// <summary>The end-of-sequence token, if the tokenizer has one.</summary>
    int? EosTokenId { get; }

    /// <summary>The padding token, if the tokenizer has one (GPT-2 and llama2.c have none).</summary>
    int? PadTokenId { get; }

    /// <summary>
    /// The token ids of <paramref name="text"/>. <paramref name="addSpecialTokens"/> adds what the
    /// post-processor adds (Hugging Face <c>add_special_tokens</c>, llama2.c <c>bos=1</c>). Added-token strings
    /// in the text are matched as their ids where the original implementation does (tokenizer.json always;
    /// GPT-2 vocabulary files only when built with <c>allowSpecialInText: true</c>).
    /// </summary>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens = false);

    /// <summary>
    /// The text of <paramref name="ids"/>, as the original decoder gives it; bytes that do not form UTF-8
    /// become U+FFFD. <paramref name="skipSpecialTokens"/> leaves out special tokens.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false);

    /// <summary>The raw vocabulary piece of <paramref name="id"/> (e.g. <c>"Ġthe"</c>, <c>"▁the"</c>, <c>"&lt;0x0A&gt;"</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not in the vocabulary.</exception>
    string IdToToken(int id);

    /// <summary>The id of the raw vocabulary piece <paramref name="token"/>, or null.</summary>
    int? TokenToId(string token);

    /// <summary>
    /// One display string per id, each decoded as far as a single token allows (e.g. <c>" the"</c>, with its
    /// space, for GPT-2 and SentencePiece-style vocabularies alike; a lone byte of a multi-byte character is
    /// U+FFFD). TransformerLens's <c>to_str_tokens</c>.
    /// </summary>
    IReadOnlyList<string> ToStrTokens(IEnumerable<int> ids);
}

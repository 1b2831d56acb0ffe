using Glassbox.Tokenizers;

namespace Glassbox.Cli;

/// <summary>
/// Text to the token ids a command feeds the model, by the rule of <c>HookedTransformer.ToTokens</c>
/// (TransformerLens's <c>to_tokens</c>): the tokenizer's ids without special tokens, with its BOS
/// first unless <c>--no-bos</c> (and unless the text already starts with it). <c>tokenize</c> shows
/// exactly what <c>generate</c> and <c>cache --prompt</c> run.
/// </summary>
internal static class PromptTokens
{
    public static int[] Encode(ITokenizer tokenizer, string text, bool prependBos)
    {
        var ids = tokenizer.Encode(text, addSpecialTokens: false).ToList();
        if (prependBos && tokenizer.BosTokenId is int bos && (ids.Count == 0 || ids[0] != bos)) ids.Insert(0, bos);
        return [.. ids];
    }

    /// <summary>
    /// The ids of a <c>--prompt</c> for a model: a usage error naming the model when it has no tokenizer
    /// or the text gives no tokens.
    /// </summary>
    public static int[] ForModel(ITokenizer? tokenizer, ModelSource source, string modelName, string text, bool prependBos)
    {
        if (tokenizer is null)
            throw new UsageException(
                $"--prompt needs a tokenizer, and model '{modelName}' has none ({source.TokenizerLookedFor}); give token ids with --tokens instead.");
        var ids = Encode(tokenizer, text, prependBos);
        if (ids.Length == 0) throw new UsageException("--prompt gives no tokens; give some text, or drop --no-bos so the prompt starts with BOS.");
        return ids;
    }
}

using Glassbox.Tensors;
using Glassbox.Tokenizers;

namespace Glassbox.Models;

public sealed partial class HookedTransformer
{
    /// <summary>The model's tokenizer: found automatically in a model folder, or set by hand.</summary>
    public ITokenizer? Tokenizer { get; set; }

    ITokenizer RequireTokenizer() => Tokenizer
        ?? throw new InvalidOperationException($"'{Config.ModelName}' has no tokenizer: load one with TokenizerLoader.Load(...) and set model.Tokenizer.");

    /// <summary>
    /// Token ids of <paramref name="text"/> as a [1, pos] batch, with the tokenizer's BOS first when
    /// <paramref name="prependBos"/> (TransformerLens's <c>to_tokens</c> default).
    /// </summary>
    public IntTensor ToTokens(string text, bool prependBos = true) => IntTensor.FromSequence(Encode(text, prependBos));

    /// <summary>Several texts, left-padded into one batch with its attention mask.</summary>
    public (IntTensor Tokens, IntTensor Mask) ToTokens(IReadOnlyList<string> texts, bool prependBos = true)
        => TokenBatch.LeftPad(texts.Select(t => Encode(t, prependBos)).ToList(), Tokenizer?.PadTokenId ?? Tokenizer?.EosTokenId ?? 0);

    /// <summary>One readable piece per token (TransformerLens's <c>to_str_tokens</c>).</summary>
    public IReadOnlyList<string> ToStrTokens(string text, bool prependBos = true) => RequireTokenizer().ToStrTokens(Encode(text, prependBos));

    public IReadOnlyList<string> ToStrTokens(IEnumerable<int> tokens) => RequireTokenizer().ToStrTokens(tokens);

    /// <summary>The text of <paramref name="tokens"/> (TransformerLens's <c>to_string</c>).</summary>
    public string ToText(IEnumerable<int> tokens, bool skipSpecialTokens = false) => RequireTokenizer().Decode(tokens, skipSpecialTokens);

    /// <summary>Continues <paramref name="prompt"/> and returns the new text; <paramref name="onText"/> gets it piece by piece.</summary>
    public string Generate(string prompt, GenerationOptions? options = null, Action<string>? onText = null, bool prependBos = true)
    {
        var tokenizer = RequireTokenizer();
        options ??= new GenerationOptions();
        if (options.StopTokens is null && tokenizer.EosTokenId is int eos) options = options with { StopTokens = [eos] };
        var generated = new List<int>();
        string emitted = "";
        Generate(Encode(prompt, prependBos), options, token =>
        {
            generated.Add(token);
            // Decode the whole continuation so multi-byte characters split across tokens come out whole.
            string text = tokenizer.Decode(generated, skipSpecialTokens: true);
            if (onText is not null && text.Length > emitted.Length && text.StartsWith(emitted, StringComparison.Ordinal) && !text.EndsWith('\uFFFD'))
            {
                onText(text[emitted.Length..]);
                emitted = text;
            }
        });
        string all = tokenizer.Decode(generated, skipSpecialTokens: true);
        if (onText is not null && all.Length > emitted.Length && all.StartsWith(emitted, StringComparison.Ordinal)) onText(all[emitted.Length..]);
        return all;
    }

    int[] Encode(string text, bool prependBos)
    {
        var tokenizer = RequireTokenizer();
        var ids = tokenizer.Encode(text, addSpecialTokens: false).ToList();
        if (prependBos && tokenizer.BosTokenId is int bos && (ids.Count == 0 || ids[0] != bos)) ids.Insert(0, bos);
        if (ids.Count == 0) throw new ArgumentException("The text has no tokens; pass prependBos: true or a non-empty text.");
        foreach (int id in ids)
            if (id >= Config.DVocab) throw new ArgumentException($"The tokenizer gave id {id}, outside the model's vocabulary of {Config.DVocab}: they do not belong together.");
        return [.. ids];
    }
}

using System.Globalization;
using Glassbox.Models;
using Glassbox.Tokenizers;

namespace Glassbox.Cli;

/// <summary>
/// The <c>&lt;model&gt;</c> of the analysis commands (<c>scores</c>, <c>attribution</c>, <c>ablate</c>,
/// <c>patch</c>): a model folder or llama2.c <c>.bin</c> (see <see cref="ModelSource"/>), or the word
/// <c>demo</c> for the embedded <see cref="InductionDemoModel"/>, which needs no files and whose
/// "tokenizer" is its 64 words, separated by spaces. Text is turned into ids and ids into readable
/// pieces here, and everything is checked against the config before <see cref="Load"/> reads weights.
/// </summary>
internal sealed class AnalysisModel
{
    public const string DemoArgument = "demo";

    public const string ArgumentDescription =
        "A model folder (config.json + model.safetensors), a llama2.c .bin checkpoint, or 'demo' for the built-in induction demo model (no files needed).";

    readonly ModelSource? _source;
    readonly ITokenizer? _tokenizer;

    AnalysisModel(ModelSource? source, ITokenizer? tokenizer, ModelConfig config)
    {
        _source = source;
        _tokenizer = tokenizer;
        Config = config;
    }

    /// <summary>The model's config as stored; for <c>demo</c>, <see cref="InductionDemoModel.Config"/>.</summary>
    public ModelConfig Config { get; }

    public string Name => Config.ModelName;

    public bool IsDemo => _source is null;

    /// <summary>The tokenizer's BOS token (none for <c>demo</c> or a model without a tokenizer).</summary>
    public int? Bos => _tokenizer?.BosTokenId;

    /// <summary>
    /// <c>demo</c> (exactly that word; write <c>./demo</c> for a folder of that name), or the model at
    /// <paramref name="argument"/> with its config and tokenizer read (not its weights).
    /// </summary>
    public static AnalysisModel Require(string? argument)
    {
        if (argument == DemoArgument) return new AnalysisModel(null, null, InductionDemoModel.Config);
        var source = ModelSource.Require(argument);
        return new AnalysisModel(source, source.LoadTokenizer(), source.ReadConfig());
    }

    /// <summary>
    /// The ids of <paramref name="text"/> given with <paramref name="option"/>: demo words, or the
    /// tokenizer's ids with its BOS first unless <paramref name="prependBos"/> is false (as <c>generate</c>
    /// and <c>cache</c> encode a prompt). Checked against the vocabulary and the context.
    /// </summary>
    public int[] EncodeText(string text, string option, bool prependBos)
    {
        int[] ids;
        if (IsDemo)
        {
            ids = DemoWords(text, option);
            if (ids.Length == 0) throw new UsageException($"{option} gives no tokens; give words of the demo vocabulary, e.g. \"the cat sat on a mat\".");
        }
        else
        {
            var tokenizer = RequireTokenizer(option);
            ids = PromptTokens.Encode(tokenizer, text, prependBos);
            if (ids.Length == 0) throw new UsageException($"{option} gives no tokens; give some text, or drop --no-bos so it starts with BOS.");
        }
        TokenListParser.CheckFits([ids], Config, option);
        return ids;
    }

    /// <summary>
    /// The one token <paramref name="text"/> stands for (an answer): a usage error naming the pieces when
    /// it is several tokens, with a hint when the text with a leading space would be one.
    /// </summary>
    public int EncodeAnswer(string text, string option)
    {
        if (string.IsNullOrEmpty(text)) throw new UsageException($"{option} is empty; give the answer as a single token.");
        int[] ids = IsDemo ? DemoWords(text, option) : [.. RequireTokenizer(option).Encode(text, addSpecialTokens: false)];
        if (ids.Length == 1) return ids[0];
        if (ids.Length == 0) throw new UsageException($"{option} \"{text}\" gives no tokens; give the answer as a single token.");
        string pieces = string.Join(", ", Pieces(ids).Select(TextFormat.Quoted));
        string hint = "";
        if (!IsDemo && !text.StartsWith(' ') && _tokenizer!.Encode(" " + text, addSpecialTokens: false).Count == 1)
            hint = $"; with a leading space, \" {text}\" is one token";
        throw new UsageException($"{option} must be a single token, but \"{text}\" is {ids.Length} tokens: {pieces}{hint}.");
    }

    /// <summary>One readable piece per id: the demo's word, the tokenizer's <c>to_str_tokens</c> piece, or the id itself.</summary>
    public IReadOnlyList<string> Pieces(IReadOnlyList<int> ids)
    {
        if (IsDemo) return ids.Select(i => (uint)i < (uint)InductionDemoModel.Words.Count ? InductionDemoModel.Words[i] : i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (_tokenizer is not null) return _tokenizer.ToStrTokens(ids);
        return ids.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>
    /// The model with TransformerLens's default weight processing (as <c>from_pretrained</c> gives it to an
    /// analysis); the demo model as built (it has no norms to fold).
    /// </summary>
    public HookedTransformer Load() => _source is null ? InductionDemoModel.Create() : _source.Load(process: true);

    ITokenizer RequireTokenizer(string option) => _tokenizer ?? throw new UsageException(
        $"{option} needs a tokenizer, and model '{Name}' has none ({_source!.TokenizerLookedFor}).");

    static int[] DemoWords(string text, string option)
    {
        var words = InductionDemoModel.Words;
        var ids = new List<int>();
        foreach (string word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            int id = IndexOf(words, word.ToLowerInvariant());
            if (id < 0)
                throw new UsageException($"{option}: '{word}' is not a word of the demo model; its {words.Count} words are: {string.Join(" ", words)}.");
            ids.Add(id);
        }
        return [.. ids];
    }

    static int IndexOf(IReadOnlyList<string> words, string word)
    {
        for (int i = 0; i < words.Count; i++)
            if (words[i] == word) return i;
        return -1;
    }
}

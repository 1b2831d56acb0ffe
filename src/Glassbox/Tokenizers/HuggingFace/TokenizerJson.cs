using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Glassbox.Tokenizers.HuggingFace;

/// <summary>The parts of a tokenizer.json, ready to run.</summary>
internal sealed record TokenizerJson(
    IReadOnlyList<AddedToken> AddedTokens,
    Normalizer? Normalizer,
    PreTokenizer? PreTokenizer,
    BpeModel Model,
    PostProcessor PostProcessor,
    Decoder? Decoder)
{
    /// <summary>
    /// Reads a Hugging Face tokenizer.json with a BPE model. Anything Glassbox does not implement (another
    /// model type, a normalizer, pre-tokenizer, decoder or post-processor it lacks) is an error naming the
    /// file and the thing, never silently skipped. <c>truncation</c> and <c>padding</c> are ignored.
    /// </summary>
    public static TokenizerJson Read(string path)
    {
        using JsonDocument doc = JsonFile.Parse(path);
        return new Reader(path).ReadRoot(doc.RootElement);
    }

    private sealed class Reader(string path)
    {
        public TokenizerJson ReadRoot(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error($"must be a JSON object, not {JsonFile.Describe(root)}.");
            if (!root.TryGetProperty("model", out JsonElement model) || model.ValueKind != JsonValueKind.Object)
                throw Error("has no \"model\" object; it is not a Hugging Face tokenizer.json.");
            BpeModel bpe = ReadModel(model);
            var added = ReadAddedTokens(root);

            return new TokenizerJson(
                added,
                Optional(root, "normalizer") is { } n ? ReadNormalizer(n) : null,
                Optional(root, "pre_tokenizer") is { } p ? ReadPreTokenizer(p) : null,
                bpe,
                Optional(root, "post_processor") is { } pp ? ReadPostProcessor(pp) : PostProcessor.None,
                Optional(root, "decoder") is { } d ? ReadDecoder(d) : null);
        }

        private BpeModel ReadModel(JsonElement model)
        {
            string type = model.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()!
                : model.TryGetProperty("merges", out _) ? "BPE" : throw Error("the model has no \"type\".");
            if (type != "BPE")
                throw Error($"model type '{type}' is not supported; Glassbox reads BPE models only (WordPiece, WordLevel and Unigram are not implemented).");

            if (Optional(model, "dropout") is { } dropout && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() != 0)
                throw Error($"BPE dropout {dropout.GetRawText()} is not supported (it makes encoding random).");
            foreach (string affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            {
                if (Optional(model, affix) is { } a && a.ValueKind == JsonValueKind.String && a.GetString()!.Length > 0)
                    throw Error($"BPE '{affix}' (\"{a.GetString()}\") is not supported.");
            }

            if (!model.TryGetProperty("vocab", out JsonElement vocabElement)) throw Error("the BPE model has no \"vocab\".");
            var vocab = JsonFile.ReadVocabulary(vocabElement, path, "model.vocab");
            if (!model.TryGetProperty("merges", out JsonElement mergesElement) || mergesElement.ValueKind != JsonValueKind.Array)
                throw Error("the BPE model has no \"merges\" array.");
            var merges = new List<MergeRule>(mergesElement.GetArrayLength());
            int rank = 0;
            foreach (JsonElement m in mergesElement.EnumerateArray())
            {
                rank++;
                if (m.ValueKind == JsonValueKind.String)
                {
                    string line = m.GetString()!;
                    int space = line.IndexOf(' ');
                    if (space < 0) throw Error($"merge {rank} \"{line}\" is not two tokens separated by a space.");
                    merges.Add(MergeRule.FromLine(line, space));
                }
                else if (m.ValueKind == JsonValueKind.Array && m.GetArrayLength() == 2
                    && m[0].ValueKind == JsonValueKind.String && m[1].ValueKind == JsonValueKind.String)
                {
                    merges.Add(MergeRule.FromPair(m[0].GetString()!, m[1].GetString()!));
                }
                else
                {
                    throw Error($"merge {rank} must be a \"left right\" string or a [left, right] array, not {m.GetRawText()}.");
                }
            }

            var options = new BpeOptions
            {
                UnknownToken = Optional(model, "unk_token") is { ValueKind: JsonValueKind.String } unk ? unk.GetString() : null,
                FuseUnknown = Bool(model, "fuse_unk", false),
                ByteFallback = Bool(model, "byte_fallback", false),
                IgnoreMerges = Bool(model, "ignore_merges", false),
            };
            return BpeModel.Create(vocab, merges, options, path);
        }

        private List<AddedToken> ReadAddedTokens(JsonElement root)
        {
            var result = new List<AddedToken>();
            if (Optional(root, "added_tokens") is not { } array) return result;
            if (array.ValueKind != JsonValueKind.Array) throw Error($"\"added_tokens\" must be an array, not {JsonFile.Describe(array)}.");
            foreach (JsonElement t in array.EnumerateArray())
            {
                if (t.ValueKind != JsonValueKind.Object
                    || !t.TryGetProperty("id", out JsonElement id) || !id.TryGetInt32(out int value) || value < 0
                    || !t.TryGetProperty("content", out JsonElement content) || content.ValueKind != JsonValueKind.String)
                    throw Error($"added token {t.GetRawText()} needs a non-negative \"id\" and a \"content\" string.");
                bool special = Bool(t, "special", false);
                result.Add(new AddedToken(value, content.GetString()!, special, Bool(t, "normalized", !special),
                    Bool(t, "lstrip", false), Bool(t, "rstrip", false), Bool(t, "single_word", false)));
            }
            return result;
        }

        private Normalizer ReadNormalizer(JsonElement e)
        {
            string type = TypeOf(e, "normalizer");
            return type switch
            {
                "Sequence" => new SequenceNormalizer(Items(e, "normalizers", "normalizer").Select(ReadNormalizer).ToArray()),
                "Prepend" => new PrependNormalizer(String(e, "prepend", "Prepend normalizer")),
                "Replace" => ReadReplace(e, "Replace normalizer"),
                "NFC" => new UnicodeFormNormalizer(NormalizationForm.FormC),
                "NFD" => new UnicodeFormNormalizer(NormalizationForm.FormD),
                "NFKC" => new UnicodeFormNormalizer(NormalizationForm.FormKC),
                "NFKD" => new UnicodeFormNormalizer(NormalizationForm.FormKD),
                "Lowercase" => new LowercaseNormalizer(),
                "Strip" => new StripNormalizer(Bool(e, "strip_left", true), Bool(e, "strip_right", true)),
                _ => throw Unsupported("normalizer", type, "Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip"),
            };
        }

        private PreTokenizer ReadPreTokenizer(JsonElement e)
        {
            string type = TypeOf(e, "pre_tokenizer");
            switch (type)
            {
                case "Sequence":
                    return new SequencePreTokenizer(Items(e, "pretokenizers", "pre_tokenizer").Select(ReadPreTokenizer).ToArray());
                case "ByteLevel":
                    return new ByteLevelPreTokenizer(Bool(e, "add_prefix_space", true), Bool(e, "use_regex", true));
                case "Split":
                {
                    var (literal, regex) = ReadPattern(e, "Split pre-tokenizer");
                    SplitPattern? pattern = null;
                    if (regex is not null)
                    {
                        try
                        {
                            pattern = SplitPattern.Create(regex);
                        }
                        catch (ArgumentException x)
                        {
                            throw Error($"the Split pre-tokenizer's regex /{regex}/ is not one .NET can run: {x.Message}", x);
                        }
                    }
                    return new SplitPreTokenizer(literal, pattern, ReadBehavior(e), Bool(e, "invert", false));
                }
                case "Metaspace":
                    return new MetaspacePreTokenizer(Replacement(e), ReadPrependScheme(e), Bool(e, "split", true));
                case "Digits":
                    return new DigitsPreTokenizer(Bool(e, "individual_digits", false));
                case "WhitespaceSplit":
                    return new WhitespaceSplitPreTokenizer();
                default:
                    throw Unsupported("pre_tokenizer", type, "Sequence, ByteLevel, Split, Metaspace, Digits, WhitespaceSplit");
            }
        }

        private Decoder ReadDecoder(JsonElement e)
        {
            string type = TypeOf(e, "decoder");
            return type switch
            {
                "Sequence" => new SequenceDecoder(Items(e, "decoders", "decoder").Select(ReadDecoder).ToArray()),
                "ByteLevel" => new ByteLevelDecoder(),
                "Replace" => new ReplaceDecoder(ReadReplace(e, "Replace decoder")),
                "ByteFallback" => new ByteFallbackDecoder(),
                "Fuse" => new FuseDecoder(),
                "Strip" => new StripDecoder(Char(e, "content", "Strip decoder"), Int(e, "start"), Int(e, "stop")),
                "Metaspace" => new MetaspaceDecoder(Replacement(e), ReadPrependScheme(e)),
                _ => throw Unsupported("decoder", type, "Sequence, ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace"),
            };
        }

        private PostProcessor ReadPostProcessor(JsonElement e)
        {
            string type = TypeOf(e, "post_processor");
            switch (type)
            {
                case "ByteLevel":
                    return PostProcessor.None;
                case "Sequence":
                {
                    PostProcessor result = PostProcessor.None;
                    foreach (JsonElement p in Items(e, "processors", "post_processor")) result = result.Then(ReadPostProcessor(p));
                    return result;
                }
                case "TemplateProcessing":
                    return ReadTemplate(e);
                case "RobertaProcessing":
                case "BertProcessing":
                    return new PostProcessor([TokenPairId(e, "cls")], [TokenPairId(e, "sep")]);
                default:
                    throw Unsupported("post_processor", type, "Sequence, ByteLevel, TemplateProcessing, RobertaProcessing, BertProcessing");
            }
        }

        /// <summary>TemplateProcessing's <c>single</c> template: special tokens before and after the sequence <c>$A</c>.</summary>
        private PostProcessor ReadTemplate(JsonElement e)
        {
            var special = new Dictionary<string, int[]>(StringComparer.Ordinal);
            if (Optional(e, "special_tokens") is { ValueKind: JsonValueKind.Object } map)
            {
                foreach (JsonProperty p in map.EnumerateObject())
                {
                    if (!p.Value.TryGetProperty("ids", out JsonElement ids) || ids.ValueKind != JsonValueKind.Array)
                        throw Error($"TemplateProcessing special token '{p.Name}' has no \"ids\" array.");
                    special[p.Name] = ids.EnumerateArray().Select(i => i.TryGetInt32(out int v) ? v : throw Error($"TemplateProcessing special token '{p.Name}' has a non-integer id {i.GetRawText()}.")).ToArray();
                }
            }
            if (!e.TryGetProperty("single", out JsonElement single)) throw Error("TemplateProcessing has no \"single\" template.");

            var pieces = new List<(string? Special, bool IsSequence)>();
            if (single.ValueKind == JsonValueKind.String)
            {
                foreach (string item in single.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    string name = item.Contains(':') ? item[..item.LastIndexOf(':')] : item;
                    pieces.Add(name is "$" or "$A" or "$B" or "$0" or "$1" ? (null, true) : (name, false));
                }
            }
            else if (single.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in single.EnumerateArray())
                {
                    if (item.TryGetProperty("Sequence", out _)) pieces.Add((null, true));
                    else if (item.TryGetProperty("SpecialToken", out JsonElement st) && st.TryGetProperty("id", out JsonElement sid) && sid.ValueKind == JsonValueKind.String)
                        pieces.Add((sid.GetString(), false));
                    else throw Error($"TemplateProcessing item {item.GetRawText()} is neither a Sequence nor a SpecialToken.");
                }
            }
            else
            {
                throw Error($"TemplateProcessing \"single\" must be a list or a string, not {JsonFile.Describe(single)}.");
            }

            var prefix = new List<int>();
            var suffix = new List<int>();
            bool seenSequence = false;
            foreach (var (name, isSequence) in pieces)
            {
                if (isSequence)
                {
                    seenSequence = true;
                    continue;
                }
                if (!special.TryGetValue(name!, out int[]? ids))
                    throw Error($"TemplateProcessing uses special token '{name}', which its \"special_tokens\" does not define.");
                (seenSequence ? suffix : prefix).AddRange(ids);
            }
            return new PostProcessor(prefix.ToArray(), suffix.ToArray());
        }

        private int TokenPairId(JsonElement e, string name)
        {
            if (e.TryGetProperty(name, out JsonElement pair) && pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 && pair[1].TryGetInt32(out int id))
                return id;
            throw Error($"{TypeOf(e, "post_processor")} needs \"{name}\" as [token, id].");
        }

        private ReplaceNormalizer ReadReplace(JsonElement e, string what)
        {
            var (literal, regex) = ReadPattern(e, what);
            string content = String(e, "content", what);
            if (literal is not null) return new ReplaceNormalizer(literal, null, content);
            try
            {
                return new ReplaceNormalizer(null, new Regex(regex!, RegexOptions.CultureInvariant), content);
            }
            catch (ArgumentException x)
            {
                throw Error($"the {what}'s regex /{regex}/ is not one .NET can run: {x.Message}", x);
            }
        }

        /// <summary>A <c>pattern</c> field: <c>{"String": ...}</c> or <c>{"Regex": ...}</c>.</summary>
        private (string? Literal, string? Regex) ReadPattern(JsonElement e, string what)
        {
            if (e.TryGetProperty("pattern", out JsonElement p) && p.ValueKind == JsonValueKind.Object)
            {
                if (p.TryGetProperty("String", out JsonElement s) && s.ValueKind == JsonValueKind.String) return (s.GetString(), null);
                if (p.TryGetProperty("Regex", out JsonElement r) && r.ValueKind == JsonValueKind.String) return (null, r.GetString());
            }
            throw Error($"the {what} needs \"pattern\": {{\"String\": ...}} or {{\"Regex\": ...}}.");
        }

        private SplitBehavior ReadBehavior(JsonElement e)
        {
            string behavior = String(e, "behavior", "Split pre-tokenizer");
            return Enum.TryParse(behavior, ignoreCase: true, out SplitBehavior b) && !int.TryParse(behavior, out _)
                ? b
                : throw Error($"Split behavior '{behavior}' is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous.");
        }

        private PrependScheme ReadPrependScheme(JsonElement e)
        {
            if (Optional(e, "prepend_scheme") is { ValueKind: JsonValueKind.String } s)
            {
                return s.GetString() switch
                {
                    "always" => PrependScheme.Always,
                    "first" => PrependScheme.First,
                    "never" => PrependScheme.Never,
                    var other => throw Error($"Metaspace prepend_scheme '{other}' is not one of always, first, never."),
                };
            }
            // Files older than tokenizers 0.19 say add_prefix_space instead.
            return Bool(e, "add_prefix_space", true) ? PrependScheme.Always : PrependScheme.Never;
        }

        private char Replacement(JsonElement e) => Char(e, "replacement", "Metaspace");

        private char Char(JsonElement e, string name, string what)
        {
            string s = String(e, name, what);
            return s.Length == 1 ? s[0] : throw Error($"the {what}'s \"{name}\" must be one character, not \"{s}\".");
        }

        private string TypeOf(JsonElement e, string what)
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String) return t.GetString()!;
            throw Error($"a {what} must be an object with a \"type\", not {e.GetRawText()}.");
        }

        private IEnumerable<JsonElement> Items(JsonElement e, string name, string what)
        {
            if (e.TryGetProperty(name, out JsonElement a) && a.ValueKind == JsonValueKind.Array) return a.EnumerateArray().ToArray();
            throw Error($"a Sequence {what} needs a \"{name}\" array.");
        }

        private string String(JsonElement e, string name, string what) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()!
                : throw Error($"the {what} needs a string \"{name}\".");

        private int Int(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.TryGetInt32(out int i) && i >= 0
                ? i
                : throw Error($"the {TypeOf(e, "decoder")} decoder needs a non-negative integer \"{name}\".");

        private bool Bool(JsonElement e, string name, bool fallback)
        {
            if (!e.TryGetProperty(name, out JsonElement v) || v.ValueKind == JsonValueKind.Null) return fallback;
            return v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Error($"\"{name}\" must be true or false, not {v.GetRawText()}."),
            };
        }

        private static JsonElement? Optional(JsonElement e, string name) =>
            e.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? v : null;

        private TokenizerFormatException Unsupported(string what, string type, string supported) =>
            Error($"{what} type '{type}' is not supported (Glassbox implements {supported}).");

        private TokenizerFormatException Error(string problem, Exception? inner = null) => new(path, problem, inner);
    }
}

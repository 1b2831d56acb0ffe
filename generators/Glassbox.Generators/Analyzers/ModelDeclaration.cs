using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Threading;
using Glassbox.Generators.Parsing;
using Glassbox.Hooks;
using Microsoft.CodeAnalysis;

namespace Glassbox.Generators.Analyzers
{
    /// <summary>
    /// The model an assembly declares its hooks are for: <c>[assembly: GlassboxModel(...)]</c> and/or a
    /// Hugging Face <c>config.json</c> AdditionalFile (attribute values win). Zero means "not known".
    /// </summary>
    internal sealed class ModelDeclaration
    {
        public ModelFamily Family { get; private set; }
        public ModelFeatures Features { get; private set; }
        public int Layers { get; private set; }
        public int Heads { get; private set; }
        public int KeyValueHeads { get; private set; }
        public int Mlp { get; private set; }
        public string Source { get; private set; } = "";

        public int? LayerCount => Layers > 0 ? Layers : null;

        public int HeadsOf(HookPointSpec spec) => spec.Heads == HeadCount.KeyValueHeads ? (KeyValueHeads > 0 ? KeyValueHeads : Heads) : Heads;

        /// <summary>The declaration, or null when there is none (or it cannot be read: then <paramref name="problem"/> says why).</summary>
        public static ModelDeclaration? Read(Compilation compilation, ImmutableArray<AdditionalText> files, CancellationToken cancellationToken, out string? problem)
        {
            problem = null;
            ModelDeclaration? model = null;
            foreach (var file in files)
            {
                if (!string.Equals(Path.GetFileName(file.Path), "config.json", StringComparison.OrdinalIgnoreCase)) continue;
                var text = file.GetText(cancellationToken)?.ToString();
                model = text is null ? null : FromConfig(text, Path.GetFileName(file.Path), out problem);
                if (model is null)
                {
                    problem ??= file.Path + " cannot be read";
                    return null;
                }
                break;
            }

            foreach (var attribute in compilation.Assembly.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != KnownNames.GlassboxModelAttribute) continue;
                if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not int architecture
                    || architecture < 0 || architecture > (int)ModelFamily.AttentionOnly)
                {
                    problem = "[assembly: GlassboxModel] names no known architecture";
                    return null;
                }
                var family = (ModelFamily)architecture;
                if (model is null || model.Family != family)
                    model = new ModelDeclaration { Family = family, Features = ModelFamilies.FeaturesOf(family), Layers = model?.Layers ?? 0, Heads = model?.Heads ?? 0, KeyValueHeads = model?.KeyValueHeads ?? 0, Mlp = model?.Mlp ?? 0 };
                model.Source = "[assembly: GlassboxModel]";
                foreach (var pair in attribute.NamedArguments)
                {
                    if (pair.Value.Value is not int value || value <= 0) continue;
                    switch (pair.Key)
                    {
                        case "Layers": model.Layers = value; break;
                        case "Heads": model.Heads = value; break;
                        case "KeyValueHeads": model.KeyValueHeads = value; break;
                        case "Mlp": model.Mlp = value; break;
                    }
                }
            }
            return model;
        }

        /// <summary>Reads the fields the checks need from a Hugging Face config.json.</summary>
        internal static ModelDeclaration? FromConfig(string json, string name, out string? problem)
        {
            problem = null;
            Dictionary<string, object?> values;
            try
            {
                values = TinyJson.ParseObject(json);
            }
            catch (FormatException e)
            {
                problem = name + " is not valid JSON (" + e.Message + ")";
                return null;
            }
            if (values.TryGetValue("format", out var format) && format is "transformer_lens") return FromTransformerLensConfig(values, name);
            string modelType = values.TryGetValue("model_type", out var t) && t is string s ? s : "";
            ModelFamily family;
            switch (modelType)
            {
                case "gpt2":
                case "gpt_neo":
                case "gptj": family = ModelFamily.Gpt2; break;
                case "llama":
                case "mistral":
                case "qwen2": family = ModelFamily.Llama; break;
                case "gpt_neox": family = ModelFamily.NeoX; break;
                default:
                    problem = name + " has model_type '" + modelType + "', which Glassbox does not know";
                    return null;
            }
            var features = ModelFamilies.FeaturesOf(family);
            if (family == ModelFamily.NeoX && values.TryGetValue("use_parallel_residual", out var parallel) && parallel is false)
                features |= ModelFeatures.SequentialResidual;
            int heads = Int(values, "n_head", "num_attention_heads", "num_heads");
            int width = Int(values, "n_embd", "hidden_size", "d_model");
            int mlp = Int(values, "n_inner", "intermediate_size");
            return new ModelDeclaration
            {
                Family = family,
                Features = features,
                Layers = Int(values, "n_layer", "num_hidden_layers", "num_layers"),
                Heads = heads,
                KeyValueHeads = Int(values, "num_key_value_heads") is int kv && kv > 0 ? kv : heads,
                Mlp = mlp > 0 ? mlp : family == ModelFamily.Gpt2 && width > 0 ? 4 * width : 0,
                Source = name,
            };
        }

        /// <summary>
        /// A config.json of TransformerLens <c>HookedTransformerConfig</c> fields (attention-only toy models and
        /// other TransformerLens state dicts): the features follow the switches as the runtime's do.
        /// </summary>
        static ModelDeclaration FromTransformerLensConfig(Dictionary<string, object?> values, string name)
        {
            bool Flag(string key) => values.TryGetValue(key, out var v) && v is true;
            bool attnOnly = Flag("attn_only"), parallel = Flag("parallel_attn_mlp");
            string positional = values.TryGetValue("positional_embedding_type", out var p) && p is string ps ? ps : "standard";
            bool rotary = positional == "rotary";
            var features = ModelFeatures.None;
            if (!rotary) features |= ModelFeatures.PositionEmbedding;
            if (rotary) features |= ModelFeatures.Rotary;
            if (!attnOnly) features |= ModelFeatures.Mlp;
            if (!attnOnly && Flag("gated_mlp")) features |= ModelFeatures.GatedMlp;
            if (!attnOnly && !parallel) features |= ModelFeatures.SequentialResidual;
            if (values.TryGetValue("normalization_type", out var norm) && norm is string) features |= ModelFeatures.Norm;
            int heads = Int(values, "n_heads");
            return new ModelDeclaration
            {
                Family = attnOnly ? ModelFamily.AttentionOnly : !rotary ? ModelFamily.Gpt2 : parallel ? ModelFamily.NeoX : ModelFamily.Llama,
                Features = features,
                Layers = Int(values, "n_layers"),
                Heads = heads,
                KeyValueHeads = Int(values, "n_key_value_heads") is int kv && kv > 0 ? kv : heads,
                Mlp = attnOnly ? 0 : Int(values, "d_mlp"),
                Source = name,
            };
        }

        static int Int(Dictionary<string, object?> values, params string[] keys)
        {
            foreach (var key in keys)
                if (values.TryGetValue(key, out var v) && v is double d && d >= 0 && d <= int.MaxValue && Math.Floor(d) == d) return (int)d;
            return 0;
        }
    }

    /// <summary>Just enough JSON for config.json: the top-level object's strings, numbers, booleans and nulls (nested values are skipped).</summary>
    internal static class TinyJson
    {
        public static Dictionary<string, object?> ParseObject(string json)
        {
            int i = 0;
            var result = Value(json, ref i, depth: 0) as Dictionary<string, object?> ?? throw new FormatException("the top level is not an object");
            Skip(json, ref i);
            if (i != json.Length) throw new FormatException("text after the object at " + i);
            return result;
        }

        static object? Value(string s, ref int i, int depth)
        {
            if (depth > 64) throw new FormatException("nesting too deep");
            Skip(s, ref i);
            if (i >= s.Length) throw new FormatException("unexpected end");
            char c = s[i];
            if (c == '{')
            {
                var obj = new Dictionary<string, object?>(StringComparer.Ordinal);
                i++;
                Skip(s, ref i);
                if (i < s.Length && s[i] == '}') { i++; return obj; }
                while (true)
                {
                    Skip(s, ref i);
                    if (i >= s.Length || s[i] != '"') throw new FormatException("expected a key at " + i);
                    string key = String(s, ref i);
                    Skip(s, ref i);
                    Expect(s, ref i, ':');
                    obj[key] = Value(s, ref i, depth + 1);
                    Skip(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    Expect(s, ref i, '}');
                    return obj;
                }
            }
            if (c == '[')
            {
                var list = new List<object?>();
                i++;
                Skip(s, ref i);
                if (i < s.Length && s[i] == ']') { i++; return list; }
                while (true)
                {
                    list.Add(Value(s, ref i, depth + 1));
                    Skip(s, ref i);
                    if (i < s.Length && s[i] == ',') { i++; continue; }
                    Expect(s, ref i, ']');
                    return list;
                }
            }
            if (c == '"') return String(s, ref i);
            if (Word(s, ref i, "true")) return true;
            if (Word(s, ref i, "false")) return false;
            if (Word(s, ref i, "null")) return null;
            int start = i;
            while (i < s.Length && "+-0123456789.eE".IndexOf(s[i]) >= 0) i++;
            if (i == start || !double.TryParse(s.Substring(start, i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
                throw new FormatException("unexpected '" + c + "' at " + start);
            return number;
        }

        static string String(string s, ref int i)
        {
            var sb = new System.Text.StringBuilder();
            i++;
            while (i < s.Length && s[i] != '"')
            {
                if (s[i] == '\\' && i + 1 < s.Length)
                {
                    char e = s[++i];
                    if (e == 'u' && i + 4 < s.Length)
                    {
                        sb.Append((char)int.Parse(s.Substring(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 4;
                    }
                    else sb.Append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e);
                }
                else sb.Append(s[i]);
                i++;
            }
            if (i >= s.Length) throw new FormatException("unterminated string");
            i++;
            return sb.ToString();
        }

        static bool Word(string s, ref int i, string word)
        {
            if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0) return false;
            i += word.Length;
            return true;
        }

        static void Expect(string s, ref int i, char c)
        {
            if (i >= s.Length || s[i] != c) throw new FormatException("expected '" + c + "' at " + i);
            i++;
        }

        static void Skip(string s, ref int i)
        {
            while (i < s.Length && char.IsWhiteSpace(s[i])) i++;
        }
    }
}

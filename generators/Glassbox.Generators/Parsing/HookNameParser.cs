using System;
using System.Collections.Generic;
using System.Globalization;
using Glassbox.Generators.Models;
using Glassbox.Hooks;

namespace Glassbox.Generators.Parsing
{
    internal enum HookNameError
    {
        None,
        /// <summary>Not of the form the DSL accepts (bad layer part, spaces, empty).</summary>
        Malformed,
        /// <summary>Well formed, but no such point in the catalog.</summary>
        Unknown,
    }

    /// <summary>A hook name checked against the catalog at compile time.</summary>
    internal sealed class ParsedHookName
    {
        public string Text { get; set; } = "";
        public HookNameError Error { get; set; }
        public string Problem { get; set; } = "";
        /// <summary>For <see cref="HookNameError.Unknown"/>: the nearest valid name, if one is close.</summary>
        public string? Suggestion { get; set; }
        public int CatalogIndex { get; set; } = -1;
        public HookPointSpec? Spec { get; set; }
        public LayerSpec Layers { get; set; } = LayerSpec.ModelWide;

        public bool IsValid => Error == HookNameError.None;
    }

    /// <summary>
    /// Parses DSL hook names: <c>hook_embed</c>, <c>ln_final.hook_scale</c>, <c>blocks.&lt;L&gt;.attn.hook_pattern</c>,
    /// <c>blocks.5.…</c>, <c>blocks.-1.…</c>, <c>blocks.{2..5}.…</c> (inclusive), <c>blocks.{1,3}.…</c>.
    /// </summary>
    internal static class HookNameParser
    {
        const string BlocksPrefix = "blocks.";

        public static ParsedHookName Parse(string? text)
        {
            var result = new ParsedHookName { Text = text ?? "" };
            if (string.IsNullOrEmpty(text))
                return Malformed(result, "the name is empty");
            for (int i = 0; i < text!.Length; i++)
                if (char.IsWhiteSpace(text[i]))
                    return Malformed(result, "hook names contain no spaces");

            if (!text.StartsWith(BlocksPrefix, StringComparison.Ordinal))
            {
                int index = IndexOf(text, inBlock: false);
                if (index >= 0) return Valid(result, index, LayerSpec.ModelWide);
                result.Error = HookNameError.Unknown;
                if (IndexOf(text, inBlock: true) >= 0)
                {
                    result.Problem = "'" + text + "' is a per-block point; name its layers";
                    result.Suggestion = BlocksPrefix + "<L>." + text;
                }
                else
                {
                    result.Problem = "no hook point has this name";
                    result.Suggestion = Nearest(text, AllTemplates());
                }
                return result;
            }

            string rest = text.Substring(BlocksPrefix.Length);
            string layerPart;
            string pointPart;
            if (rest.StartsWith("{", StringComparison.Ordinal))
            {
                int close = rest.IndexOf('}');
                if (close < 0) return Malformed(result, "the layer set '{' is not closed");
                layerPart = rest.Substring(0, close + 1);
                if (close + 1 >= rest.Length || rest[close + 1] != '.')
                    return Malformed(result, "a '.' and a hook point must follow the layers");
                pointPart = rest.Substring(close + 2);
            }
            else
            {
                int dot = rest.IndexOf('.');
                if (dot < 0) return Malformed(result, "a block name needs a layer and a hook point: blocks.<L>.hook_resid_pre");
                layerPart = rest.Substring(0, dot);
                pointPart = rest.Substring(dot + 1);
            }

            var layers = ParseLayers(layerPart, out string? layerProblem);
            if (layers is null) return Malformed(result, layerProblem!);
            if (pointPart.Length == 0) return Malformed(result, "the hook point after the layers is missing");

            int blockIndex = IndexOf(pointPart, inBlock: true);
            if (blockIndex >= 0) return Valid(result, blockIndex, layers);

            result.Error = HookNameError.Unknown;
            if (IndexOf(pointPart, inBlock: false) >= 0)
            {
                result.Problem = "'" + pointPart + "' is a model-wide point, not one inside a block";
                result.Suggestion = pointPart;
            }
            else
            {
                result.Problem = "blocks have no hook point '" + pointPart + "'";
                string? near = Nearest(pointPart, BlockNames());
                result.Suggestion = near is null ? null : BlocksPrefix + layerPart + "." + near;
            }
            return result;
        }

        /// <summary>Layer part: <c>&lt;L&gt;</c>, <c>5</c>, <c>-1</c>, <c>{2..5}</c>, <c>{1,3}</c>.</summary>
        static LayerSpec? ParseLayers(string part, out string? problem)
        {
            problem = null;
            if (part == "<L>") return LayerSpec.All;
            if (TryInt(part, out int single)) return LayerSpec.List(single);
            if (part.Length >= 2 && part[0] == '{' && part[part.Length - 1] == '}')
            {
                string inner = part.Substring(1, part.Length - 2);
                int dots = inner.IndexOf("..", StringComparison.Ordinal);
                if (dots >= 0)
                {
                    if (!TryInt(inner.Substring(0, dots), out int first) || !TryInt(inner.Substring(dots + 2), out int last))
                    {
                        problem = "a layer range is {first..last} with whole numbers, e.g. {2..5}";
                        return null;
                    }
                    if (first >= 0 && last >= 0 && last < first || first < 0 && last < 0 && last < first)
                    {
                        problem = "the layer range {" + inner + "} is empty (ranges include both ends and go upwards)";
                        return null;
                    }
                    return LayerSpec.Range(first, last);
                }
                var items = inner.Split(',');
                var list = new List<int>();
                foreach (var item in items)
                {
                    if (!TryInt(item, out int layer))
                    {
                        problem = "a layer list is {a,b,...} with whole numbers, e.g. {1,3}";
                        return null;
                    }
                    if (list.Contains(layer))
                    {
                        problem = "layer " + layer.ToString(CultureInfo.InvariantCulture) + " is listed twice";
                        return null;
                    }
                    list.Add(layer);
                }
                return LayerSpec.List(list.ToArray());
            }
            problem = "'" + part + "' is not a layer: use <L> (every layer), a number (negative counts from the end), {2..5} or {1,3}";
            return null;
        }

        static bool TryInt(string s, out int value)
        {
            value = 0;
            if (s.Length == 0 || s.Length > 1 && s[0] == '0' || s.StartsWith("-0", StringComparison.Ordinal) || s.StartsWith("+", StringComparison.Ordinal)) return false;
            return int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        static ParsedHookName Valid(ParsedHookName result, int index, LayerSpec layers)
        {
            result.CatalogIndex = index;
            result.Spec = HookCatalog.All[index];
            result.Layers = layers;
            return result;
        }

        static ParsedHookName Malformed(ParsedHookName result, string problem)
        {
            result.Error = HookNameError.Malformed;
            result.Problem = problem;
            return result;
        }

        public static int IndexOf(string name, bool inBlock)
        {
            var all = HookCatalog.All;
            for (int i = 0; i < all.Count; i++)
                if (all[i].InBlock == inBlock && all[i].Name == name) return i;
            return -1;
        }

        static IEnumerable<string> BlockNames()
        {
            foreach (var spec in HookCatalog.All)
                if (spec.InBlock) yield return spec.Name;
        }

        static IEnumerable<string> AllTemplates()
        {
            foreach (var spec in HookCatalog.All) yield return spec.ToString();
        }

        /// <summary>The candidate nearest by edit distance, if it is close enough to be a likely typo.</summary>
        public static string? Nearest(string name, IEnumerable<string> candidates)
        {
            string? best = null;
            int bestDistance = int.MaxValue;
            foreach (var candidate in candidates)
            {
                int d = Distance(name, candidate);
                if (d < bestDistance || d == bestDistance && string.CompareOrdinal(candidate, best) < 0)
                {
                    best = candidate;
                    bestDistance = d;
                }
            }
            return best is not null && bestDistance <= Math.Max(2, name.Length / 3) ? best : null;
        }

        /// <summary>Levenshtein distance, shared with the runtime's suggestions (a linked catalog file).</summary>
        public static int Distance(string a, string b) => EditDistance.Levenshtein(a, b);
    }
}

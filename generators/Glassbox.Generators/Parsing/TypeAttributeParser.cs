using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Glassbox.Generators.Helpers;
using Glassbox.Generators.Models;
using Glassbox.Hooks;
using Microsoft.CodeAnalysis;

namespace Glassbox.Generators.Parsing
{
    /// <summary>[CacheActivations], [Ablate], [Patch] and [SkipLayer] on a class → value models; invalid entries are skipped.</summary>
    internal static class TypeAttributeParser
    {
        static readonly string[] EditAttributes = { KnownNames.AblateAttribute, KnownNames.PatchAttribute, KnownNames.SkipLayerAttribute };

        public static CacheModel? ParseCache(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type || type.TypeKind != TypeKind.Class || TypeFacts.FirstNonPartial(type) is not null) return null;
            if (context.Attributes.Length == 0) return null;
            var attribute = context.Attributes[0];
            var entries = new List<(int Index, string Accessor, LayerSpec First, List<CacheSourceModel> Sources)>();
            foreach (var name in Strings(attribute))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var parsed = HookNameParser.Parse(name);
                if (!parsed.IsValid) continue;
                var source = new CacheSourceModel(parsed.CatalogIndex, name, parsed.Layers);
                int existing = entries.FindIndex(e => e.Index == parsed.CatalogIndex);
                if (existing >= 0) entries[existing].Sources.Add(source);
                else entries.Add((parsed.CatalogIndex, AccessorName(parsed.Spec!), parsed.Layers, new List<CacheSourceModel> { source }));
            }
            var models = entries.Select(e =>
            {
                var spec = HookCatalog.All[e.Index];
                return new CacheEntryModel(
                    e.Accessor,
                    "__glassbox" + e.Accessor,
                    ViewTypes.ReadOnly(spec.Kind).GlobalName,
                    spec.ToString(),
                    ViewTypes.Shape(spec.Kind),
                    !spec.InBlock,
                    e.Sources.ToEquatableArray());
            });
            return new CacheModel(HierarchyInfo.From(type), models.ToEquatableArray(), TypeFacts.Parts(type));
        }

        public static EditsStep Edits(string attributeName) => new(attributeName);

        /// <summary>One provider per edit attribute; only the provider of a type's first edit attribute, on the declaration carrying it, emits.</summary>
        internal sealed class EditsStep
        {
            readonly string _attributeName;

            public EditsStep(string attributeName) => _attributeName = attributeName;

            public EditsModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                if (context.TargetSymbol is not INamedTypeSymbol type || type.TypeKind != TypeKind.Class || TypeFacts.FirstNonPartial(type) is not null) return null;
                var first = TypeFacts.FirstOf(type, EditAttributes);
                if (first is null || first.AttributeClass?.ToDisplayString() != _attributeName || !TypeFacts.IsOn(first, context.TargetNode)) return null;
                return ParseEdits(type, cancellationToken);
            }
        }

        static EditsModel ParseEdits(INamedTypeSymbol type, CancellationToken cancellationToken)
        {
            var edits = new List<EditModel>();
            foreach (var attribute in type.GetAttributes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                string? attributeName = attribute.AttributeClass?.ToDisplayString();
                if (attributeName == KnownNames.SkipLayerAttribute)
                {
                    if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int layer)
                        edits.Add(new EditModel(EditKind.SkipLayer, -1, "", LayerSpec.ModelWide, "", EquatableArray<SelectionModel>.Empty, layer));
                    continue;
                }
                bool ablate = attributeName == KnownNames.AblateAttribute;
                if (!ablate && attributeName != KnownNames.PatchAttribute) continue;
                if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name) continue;
                var parsed = HookNameParser.Parse(name);
                if (!parsed.IsValid) continue;
                var selections = Selections(attribute, parsed.Spec!, ablate);
                if (selections is null) continue;
                string mode = "Zero";
                if (ablate && TypeFacts.Named(attribute, "Mode").Value is int m) mode = m == 1 ? "Mean" : m == 2 ? "Resample" : "Zero";
                edits.Add(new EditModel(ablate ? EditKind.Ablate : EditKind.Patch, parsed.CatalogIndex, name, parsed.Layers, mode, selections.ToEquatableArray(), 0));
            }
            bool mean = edits.Any(e => e.Kind == EditKind.Ablate && e.Mode == "Mean");
            bool source = edits.Any(e => e.Kind == EditKind.Patch || e.Kind == EditKind.Ablate && e.Mode == "Resample");
            return new EditsModel(HierarchyInfo.From(type), edits.ToEquatableArray(), mean, source, TypeFacts.Parts(type));
        }

        /// <summary>The axis selections an attribute asks for, on the axes the catalog gives the point; null if it has not got one.</summary>
        internal static List<SelectionModel>? Selections(AttributeData attribute, HookPointSpec spec, bool ablate)
        {
            var selections = new List<SelectionModel>();
            foreach (var (property, role, axis) in new[]
            {
                ("Heads", "Head", spec.HeadAxis),
                ("Neurons", "Neuron", ablate ? spec.NeuronAxis : -2),
                ("Positions", "Position", spec.PositionAxis),
            })
            {
                var value = TypeFacts.Named(attribute, property);
                if (value.Kind != TypedConstantKind.Array || value.IsNull) continue;
                if (axis < 0) return null;
                selections.Add(new SelectionModel(role, axis, TypeFacts.Ints(value).ToEquatableArray()));
            }
            return selections;
        }

        static IEnumerable<string> Strings(AttributeData attribute)
        {
            foreach (var argument in attribute.ConstructorArguments)
            {
                if (argument.Kind == TypedConstantKind.Array)
                {
                    foreach (var value in argument.Values)
                        if (value.Value is string s) yield return s;
                }
                else if (argument.Value is string single) yield return single;
            }
        }

        /// <summary><c>attn.hook_pattern</c> → <c>AttnPattern</c>, <c>hook_resid_post</c> → <c>ResidPost</c>, <c>attn.hook_attn_scores</c> → <c>AttnScores</c>.</summary>
        public static string AccessorName(HookPointSpec spec)
        {
            var sb = new StringBuilder();
            string? previous = null;
            foreach (var word in spec.Name.Replace("hook_", "").Split('.', '_'))
            {
                if (word.Length == 0 || word == previous) continue;
                sb.Append(char.ToUpperInvariant(word[0])).Append(word.Substring(1));
                previous = word;
            }
            return sb.ToString();
        }
    }
}

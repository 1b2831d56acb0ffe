using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using Glassbox.Generators.Models;
using Glassbox.Generators.Parsing;
using Glassbox.Hooks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using static Glassbox.Generators.Diagnostics.DiagnosticDescriptors;

namespace Glassbox.Generators.Analyzers
{
    /// <summary>
    /// Every check of the hook DSL, reported on the attribute's string literal so squiggles and code
    /// fixes land on the name: hook names, handler signatures, partial types, duplicates, axes, and —
    /// when the assembly declares its model — layers, heads, neurons and hook availability.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HookAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            UnknownHookPoint, MalformedHookName, HandlerDoesNotFitKind, TypeNotPartial, OutOfRangeForModel, HookAbsentInFamily,
            DuplicateHandler, UnsupportedHandler, AxisNotOnHook, GatedHookCost, InvalidModelDeclaration);

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                if (start.Compilation.GetTypeByMetadataName(KnownNames.HookAttribute) is null) return;
                var model = ModelDeclaration.Read(start.Compilation, start.Options.AdditionalFiles, start.CancellationToken, out string? problem);
                if (problem is not null)
                {
                    string message = problem;
                    start.RegisterCompilationEndAction(end => end.ReportDiagnostic(Diagnostic.Create(InvalidModelDeclaration, Location.None, message)));
                }
                start.RegisterSymbolAction(c => AnalyzeMethod(c, model), SymbolKind.Method);
                start.RegisterSymbolAction(c => AnalyzeType(c, model), SymbolKind.NamedType);
            });
        }

        static void AnalyzeMethod(SymbolAnalysisContext context, ModelDeclaration? model)
        {
            var method = (IMethodSymbol)context.Symbol;
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() != KnownNames.HookAttribute) continue;
                if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name) continue;
                var location = ArgumentLocation(attribute, 0, context.CancellationToken) ?? method.Locations.FirstOrDefault();
                var parsed = CheckName(context.ReportDiagnostic, name, location);

                string? unsupported = HandlerSignature.Unsupported(method);
                if (unsupported is not null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(UnsupportedHandler, location, method.Name, unsupported));
                    continue;
                }
                if (TypeFacts.FirstNonPartial(method.ContainingType) is { } notPartial)
                    context.ReportDiagnostic(Diagnostic.Create(TypeNotPartial, location, notPartial.Name));
                if (!parsed.IsValid) continue;

                CheckSignature(context, method, parsed, location);
                CheckAgainstModel(context.ReportDiagnostic, parsed, location, model);
                if (parsed.Spec!.Gated)
                    context.ReportDiagnostic(Diagnostic.Create(GatedHookCost, location, name));
            }
        }

        static ParsedHookName CheckName(System.Action<Diagnostic> report, string name, Location? location)
        {
            var parsed = HookNameParser.Parse(name);
            if (parsed.Error == HookNameError.Malformed)
                report(Diagnostic.Create(MalformedHookName, location, name, parsed.Problem));
            else if (parsed.Error == HookNameError.Unknown)
            {
                var properties = parsed.Suggestion is null
                    ? ImmutableDictionary<string, string?>.Empty
                    : ImmutableDictionary<string, string?>.Empty.Add(SuggestionProperty, parsed.Suggestion);
                string hint = parsed.Suggestion is null ? "" : "; did you mean '" + parsed.Suggestion + "'?";
                report(Diagnostic.Create(UnknownHookPoint, location, properties, name, parsed.Problem, hint));
            }
            return parsed;
        }

        static void CheckSignature(SymbolAnalysisContext context, IMethodSymbol method, ParsedHookName parsed, Location? location)
        {
            var kind = parsed.Spec!.Kind;
            var signature = HandlerSignature.Read(method, out string problem);
            if (signature is not null && signature.View.Fits(kind)) return;

            ViewType? current = method.Parameters.Length > 0 ? ViewTypes.Find(HandlerSignature.MetadataName(method.Parameters[0].Type)) : null;
            bool firstParameterIsTheProblem = signature is not null || current is null;
            if (signature is not null) problem = "its first parameter is " + signature.View.ShortName;
            var properties = ImmutableDictionary<string, string?>.Empty;
            if (firstParameterIsTheProblem && method.Parameters.Length > 0)
            {
                bool editor = current is { IsReadOnly: false } || signature is { ReturnsReplacement: true };
                properties = properties.Add(ExpectedTypeProperty, (editor ? ViewTypes.Mutable(kind) : ViewTypes.ReadOnly(kind)).MetadataName);
            }
            context.ReportDiagnostic(Diagnostic.Create(HandlerDoesNotFitKind, location, properties,
                method.Name, parsed.Text, kind.ToString(), ViewTypes.Shape(kind), problem, ViewTypes.Accepted(kind)));
        }

        static void CheckAgainstModel(System.Action<Diagnostic> report, ParsedHookName parsed, Location? location, ModelDeclaration? model)
        {
            if (model is null) return;
            var spec = parsed.Spec!;
            if (!spec.IsAvailable(model.Features))
            {
                report(Diagnostic.Create(HookAbsentInFamily, location, parsed.Text, model.Family.ToString(), (spec.Requires & ~model.Features).ToString()));
                return;
            }
            if (model.LayerCount is not int layers || parsed.Layers.Kind == LayerSpecKind.ModelWide || parsed.Layers.Kind == LayerSpecKind.All) return;
            var bad = new List<int>();
            if (parsed.Layers.Kind == LayerSpecKind.Range)
            {
                foreach (int l in new[] { parsed.Layers.First, parsed.Layers.Last })
                    if (l >= layers || l < -layers) bad.Add(l);
                if (bad.Count == 0 && parsed.Layers.Concrete(layers) is { Length: 0 })
                {
                    report(Diagnostic.Create(OutOfRangeForModel, location, parsed.Text,
                        "the layer range is empty on the declared model (" + Describe(layers, model) + ")"));
                    return;
                }
            }
            else
            {
                foreach (int l in parsed.Layers.Layers)
                    if (l >= layers || l < -layers) bad.Add(l);
            }
            if (bad.Count > 0)
                report(Diagnostic.Create(OutOfRangeForModel, location, parsed.Text,
                    "layer " + bad[0].ToString(CultureInfo.InvariantCulture) + " is out of range; the declared model has " + Describe(layers, model)));
        }

        static string Describe(int layers, ModelDeclaration model)
            => layers.ToString(CultureInfo.InvariantCulture) + " layers (0.." + (layers - 1).ToString(CultureInfo.InvariantCulture)
               + ", or -" + layers.ToString(CultureInfo.InvariantCulture) + "..-1 from the end; " + model.Source + ")";

        static void AnalyzeType(SymbolAnalysisContext context, ModelDeclaration? model)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            CheckDuplicates(context, type, model);
            bool partialChecked = false;
            foreach (var attribute in type.GetAttributes())
            {
                string? attributeName = attribute.AttributeClass?.ToDisplayString();
                if (attributeName is not (KnownNames.CacheActivationsAttribute or KnownNames.AblateAttribute or KnownNames.PatchAttribute or KnownNames.SkipLayerAttribute))
                    continue;
                var first = ArgumentLocation(attribute, 0, context.CancellationToken) ?? type.Locations.FirstOrDefault();
                if (!partialChecked)
                {
                    partialChecked = true;
                    if (TypeFacts.FirstNonPartial(type) is { } notPartial) context.ReportDiagnostic(Diagnostic.Create(TypeNotPartial, first, notPartial.Name));
                }
                switch (attributeName)
                {
                    case KnownNames.CacheActivationsAttribute:
                        CheckCache(context, attribute, model);
                        break;
                    case KnownNames.SkipLayerAttribute:
                        if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is int layer && model?.LayerCount is int layers
                            && (layer >= layers || layer < -layers))
                            context.ReportDiagnostic(Diagnostic.Create(OutOfRangeForModel, first, "SkipLayer(" + layer.ToString(CultureInfo.InvariantCulture) + ")",
                                "layer " + layer.ToString(CultureInfo.InvariantCulture) + " is out of range; the declared model has " + Describe(layers, model)));
                        break;
                    default:
                        CheckEdit(context, attribute, first, model);
                        break;
                }
            }
        }

        static void CheckCache(SymbolAnalysisContext context, AttributeData attribute, ModelDeclaration? model)
        {
            if (attribute.ConstructorArguments.Length != 1) return;
            var names = attribute.ConstructorArguments[0];
            var values = names.Kind == TypedConstantKind.Array ? names.Values : ImmutableArray.Create(names);
            // A params argument list has one expression per name; an explicit array has its elements inside one.
            var expressions = ArgumentExpressions(attribute, context.CancellationToken);
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i].Value is not string name) continue;
                var location = i < expressions.Count ? expressions[i].GetLocation() : ArgumentLocation(attribute, 0, context.CancellationToken);
                var parsed = CheckName(context.ReportDiagnostic, name, location);
                if (parsed.IsValid) CheckAgainstModel(context.ReportDiagnostic, parsed, location, model);
            }
        }

        static void CheckEdit(SymbolAnalysisContext context, AttributeData attribute, Location? location, ModelDeclaration? model)
        {
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name) return;
            var parsed = CheckName(context.ReportDiagnostic, name, location);
            if (!parsed.IsValid) return;
            var spec = parsed.Spec!;
            foreach (var (property, axis, size, what) in new[]
            {
                ("Heads", spec.HeadAxis, model?.HeadsOf(spec) ?? 0, "heads are on attn.hook_q/k/v/z/rot_q/rot_k, hook_result, hook_attn_scores, hook_pattern and the per-head inputs"),
                ("Neurons", spec.NeuronAxis, model?.Mlp ?? 0, "neurons are on mlp.hook_pre, hook_pre_linear and hook_post"),
                ("Positions", spec.PositionAxis, 0, ""),
            })
            {
                var value = TypeFacts.Named(attribute, property);
                if (value.Kind != TypedConstantKind.Array || value.IsNull) continue;
                if (axis < 0)
                {
                    string axisName = property == "Heads" ? "head" : "neuron";
                    context.ReportDiagnostic(Diagnostic.Create(AxisNotOnHook, location, name, axisName, ViewTypes.Shape(spec.Kind), what));
                    continue;
                }
                if (size <= 0) continue;
                foreach (int index in TypeFacts.Ints(value))
                    if (index >= size || index < -size)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(OutOfRangeForModel, location, name,
                            property.ToLowerInvariant().TrimEnd('s') + " " + index.ToString(CultureInfo.InvariantCulture) + " is out of range; the declared model has "
                            + size.ToString(CultureInfo.InvariantCulture) + " " + property.ToLowerInvariant() + " here (" + model!.Source + ")"));
                        break;
                    }
            }
            CheckAgainstModel(context.ReportDiagnostic, parsed, location, model);
        }

        /// <summary>Two handlers of one type on overlapping points (same point and layers that certainly meet).</summary>
        static void CheckDuplicates(SymbolAnalysisContext context, INamedTypeSymbol type, ModelDeclaration? model)
        {
            var seen = new List<(string Method, ParsedHookName Name)>();
            foreach (var member in type.GetMembers())
            {
                if (member is not IMethodSymbol method || HandlerSignature.Unsupported(method) is not null) continue;
                var signature = HandlerSignature.Read(method, out _);
                if (signature is null) continue;
                foreach (var attribute in method.GetAttributes())
                {
                    if (attribute.AttributeClass?.ToDisplayString() != KnownNames.HookAttribute) continue;
                    if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name) continue;
                    var parsed = HookNameParser.Parse(name);
                    if (!parsed.IsValid || !signature.View.Fits(parsed.Spec!.Kind)) continue;
                    foreach (var (otherMethod, other) in seen)
                    {
                        if (other.CatalogIndex != parsed.CatalogIndex || !Overlap(other.Layers, parsed.Layers, model?.LayerCount)) continue;
                        var location = ArgumentLocation(attribute, 0, context.CancellationToken);
                        context.ReportDiagnostic(Diagnostic.Create(DuplicateHandler, location, method.Name, otherMethod, parsed.Text, type.Name));
                        break;
                    }
                    seen.Add((method.Name, parsed));
                }
            }
        }

        static bool Overlap(LayerSpec a, LayerSpec b, int? layers)
        {
            if (a.Kind == LayerSpecKind.ModelWide && b.Kind == LayerSpecKind.ModelWide) return true;
            if (a.Kind == LayerSpecKind.All && b.Kind == LayerSpecKind.All) return true;
            if (a.Kind == LayerSpecKind.All || b.Kind == LayerSpecKind.All) return false;   // a template and a specialisation are meant
            var x = a.Concrete(layers);
            var y = b.Concrete(layers);
            return x is not null && y is not null && x.Intersect(y).Any();
        }

        static IReadOnlyList<ExpressionSyntax> ArgumentExpressions(AttributeData attribute, CancellationToken cancellationToken)
        {
            if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax || syntax.ArgumentList is null)
                return new ExpressionSyntax[0];
            var positional = syntax.ArgumentList.Arguments.Where(a => a.NameEquals is null).Select(a => a.Expression).ToList();
            if (positional.Count == 1)
            {
                if (positional[0] is ImplicitArrayCreationExpressionSyntax implicitArray) return implicitArray.Initializer.Expressions.ToList();
                if (positional[0] is ArrayCreationExpressionSyntax { Initializer: { } init }) return init.Expressions.ToList();
                if (positional[0] is CollectionExpressionSyntax collection)
                    return collection.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList();
            }
            return positional;
        }

        static Location? ArgumentLocation(AttributeData attribute, int index, CancellationToken cancellationToken)
        {
            var expressions = ArgumentExpressions(attribute, cancellationToken);
            if (index < expressions.Count) return expressions[index].GetLocation();
            return attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation();
        }
    }
}

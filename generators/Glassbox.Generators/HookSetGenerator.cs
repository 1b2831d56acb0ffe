using Glassbox.Generators.Emit;
using Glassbox.Generators.Models;
using Glassbox.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Glassbox.Generators
{
    /// <summary>
    /// The hook DSL's source generator. It only wires the pipeline: attributes → value models
    /// (<see cref="HookSetParser"/>, <see cref="TypeAttributeParser"/>) → text (<c>Emit/</c>). It reports
    /// nothing: invalid input is skipped and the analyzers explain it.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class HookSetGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var methods = context.SyntaxProvider
                .ForAttributeWithMetadataName(KnownNames.HookAttribute, static (node, _) => node is MethodDeclarationSyntax, HookSetParser.ParseMethod)
                .Where(static m => m is not null)
                .Select(static (m, _) => m!)
                .WithTrackingName(GlassboxGeneratorSteps.HookMethods);
            var sets = methods.Collect()
                .SelectMany(HookSetParser.GroupByType)
                .WithTrackingName(GlassboxGeneratorSteps.HookSets);
            context.RegisterSourceOutput(sets, HookSetEmitter.Emit);

            var caches = context.SyntaxProvider
                .ForAttributeWithMetadataName(KnownNames.CacheActivationsAttribute, static (node, _) => node is ClassDeclarationSyntax, TypeAttributeParser.ParseCache)
                .Where(static m => m is not null)
                .Select(static (m, _) => m!)
                .WithTrackingName(GlassboxGeneratorSteps.Caches);
            context.RegisterSourceOutput(caches, CacheEmitter.Emit);

            RegisterEdits(context, KnownNames.AblateAttribute, GlassboxGeneratorSteps.Ablations);
            RegisterEdits(context, KnownNames.PatchAttribute, GlassboxGeneratorSteps.Patches);
            RegisterEdits(context, KnownNames.SkipLayerAttribute, GlassboxGeneratorSteps.SkippedLayers);
        }

        static void RegisterEdits(IncrementalGeneratorInitializationContext context, string attributeName, string stepName)
        {
            var step = TypeAttributeParser.Edits(attributeName);
            var edits = context.SyntaxProvider
                .ForAttributeWithMetadataName(attributeName, static (node, _) => node is ClassDeclarationSyntax, step.Parse)
                .Where(static m => m is not null)
                .Select(static (m, _) => m!)
                .WithTrackingName(stepName);
            context.RegisterSourceOutput(edits, EditsEmitter.Emit);
        }
    }
}

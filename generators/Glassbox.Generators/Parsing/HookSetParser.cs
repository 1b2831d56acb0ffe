using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Glassbox.Generators.Helpers;
using Glassbox.Generators.Models;
using Microsoft.CodeAnalysis;

namespace Glassbox.Generators.Parsing
{
    /// <summary>[Hook] methods → value models. Invalid input is skipped (the analyzers report it).</summary>
    internal static class HookSetParser
    {
        public static HookMethodModel? ParseMethod(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not IMethodSymbol method) return null;
            var type = method.ContainingType;
            if (type is null || type.TypeKind != TypeKind.Class || TypeFacts.FirstNonPartial(type) is not null) return null;
            cancellationToken.ThrowIfCancellationRequested();

            var handlers = new List<HookHandlerModel>();
            if (HandlerSignature.Unsupported(method) is null && HandlerSignature.Read(method, out _) is { } signature)
            {
                foreach (var attribute in context.Attributes)
                {
                    if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string name) continue;
                    var parsed = HookNameParser.Parse(name);
                    if (!parsed.IsValid || !signature.View.Fits(parsed.Spec!.Kind)) continue;
                    handlers.Add(new HookHandlerModel(
                        method.Name,
                        name,
                        parsed.CatalogIndex,
                        parsed.Layers,
                        signature.View.GlobalName,
                        signature.View.Kind is null,
                        signature.View.IsReadOnly,
                        signature.ReturnsReplacement,
                        signature.Arguments.ToEquatableArray()));
                }
            }
            return new HookMethodModel(HierarchyInfo.From(type), handlers.ToEquatableArray(), TypeFacts.Parts(type));
        }

        /// <summary>Groups methods by their type, keeping declaration order.</summary>
        public static ImmutableArray<HookSetModel> GroupByType(ImmutableArray<HookMethodModel> methods, CancellationToken cancellationToken)
        {
            var order = new List<HierarchyInfo>();
            var byType = new Dictionary<HierarchyInfo, (List<HookHandlerModel> Handlers, RegistrationParts Parts)>();
            foreach (var method in methods)
            {
                if (!byType.TryGetValue(method.Type, out var entry))
                {
                    entry = (new List<HookHandlerModel>(), method.Parts);
                    byType.Add(method.Type, entry);
                    order.Add(method.Type);
                }
                entry.Handlers.AddRange(method.Handlers);
            }
            var sets = ImmutableArray.CreateBuilder<HookSetModel>(order.Count);
            foreach (var type in order)
                sets.Add(new HookSetModel(type, byType[type].Handlers.ToEquatableArray(), byType[type].Parts));
            return sets.MoveToImmutable();
        }
    }
}

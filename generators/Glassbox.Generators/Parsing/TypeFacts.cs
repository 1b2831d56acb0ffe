using System.Collections.Generic;
using System.Linq;
using Glassbox.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Glassbox.Generators.Parsing
{
    /// <summary>Facts about a type that decide whether and what to generate for it.</summary>
    internal static class TypeFacts
    {
        /// <summary>The first type in the nesting chain (innermost first) with a declaration lacking <c>partial</c>, or null.</summary>
        public static INamedTypeSymbol? FirstNonPartial(INamedTypeSymbol type)
        {
            for (var t = type; t is not null; t = t.ContainingType)
                if (!IsPartial(t)) return t;
            return null;
        }

        public static bool IsPartial(INamedTypeSymbol type)
        {
            if (type.DeclaringSyntaxReferences.Length == 0) return false;
            foreach (var reference in type.DeclaringSyntaxReferences)
                if (reference.GetSyntax() is not TypeDeclarationSyntax declaration || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                    return false;
            return true;
        }

        /// <summary>Which generated parts a partial class has (hooks from methods, a cache, edits).</summary>
        public static RegistrationParts Parts(INamedTypeSymbol type)
        {
            var parts = RegistrationParts.None;
            foreach (var attribute in type.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case KnownNames.CacheActivationsAttribute: parts |= RegistrationParts.Cache; break;
                    case KnownNames.AblateAttribute:
                    case KnownNames.PatchAttribute:
                    case KnownNames.SkipLayerAttribute: parts |= RegistrationParts.Edits; break;
                }
            }
            foreach (var member in type.GetMembers())
                if (member is IMethodSymbol method && method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.HookAttribute))
                {
                    parts |= RegistrationParts.Hooks;
                    break;
                }
            return parts;
        }

        /// <summary>
        /// The first of the type's attributes named in <paramref name="names"/>, in declaration order:
        /// the one whose declaration (and generator step) emits a type-level file, so partial types
        /// declared in several places emit once.
        /// </summary>
        public static AttributeData? FirstOf(INamedTypeSymbol type, params string[] names)
            => type.GetAttributes().FirstOrDefault(a => names.Contains(a.AttributeClass?.ToDisplayString()));

        /// <summary>Whether <paramref name="attribute"/> is written on <paramref name="node"/>.</summary>
        public static bool IsOn(AttributeData attribute, SyntaxNode node)
        {
            var reference = attribute.ApplicationSyntaxReference;
            return reference is not null && reference.SyntaxTree == node.SyntaxTree && node.Span.Contains(reference.Span);
        }

        public static IEnumerable<int> Ints(TypedConstant constant)
        {
            if (constant.Kind != TypedConstantKind.Array || constant.IsNull) yield break;
            foreach (var value in constant.Values)
                if (value.Value is int i) yield return i;
        }

        public static TypedConstant Named(AttributeData attribute, string name)
        {
            foreach (var pair in attribute.NamedArguments)
                if (pair.Key == name) return pair.Value;
            return default;
        }
    }
}

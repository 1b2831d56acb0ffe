using System.Collections.Generic;
using Glassbox.Generators.Models;
using Microsoft.CodeAnalysis;

namespace Glassbox.Generators.Parsing
{
    /// <summary>What a [Hook] method's signature says about its role, independent of the hook's kind.</summary>
    internal sealed class HandlerSignature
    {
        public HandlerSignature(ViewType view, bool returnsReplacement, List<HandlerArgument> arguments)
        {
            View = view;
            ReturnsReplacement = returnsReplacement;
            Arguments = arguments;
        }

        public ViewType View { get; }
        public bool ReturnsReplacement { get; }
        public List<HandlerArgument> Arguments { get; }

        /// <summary>Why a method cannot be a handler at all (static, generic, async, ref-returning, not in a class), or null.</summary>
        public static string? Unsupported(IMethodSymbol method)
        {
            if (method.IsStatic) return "it is static; handlers are instance methods";
            if (method.IsGenericMethod) return "it is generic";
            if (method.IsAsync) return "it is async; hooks run synchronously inside the forward pass";
            if (method.ReturnsByRef || method.ReturnsByRefReadonly) return "it returns by reference";
            if (method.IsAbstract) return "it is abstract";
            if (method.MethodKind != MethodKind.Ordinary) return "it is not an ordinary method";
            if (method.ContainingType is not { TypeKind: TypeKind.Class }) return "it is not in a class (hook sets are classes)";
            return null;
        }

        /// <summary>
        /// The handler's view, return and extra parameters, or null with <paramref name="problem"/> set
        /// when the signature is not one the DSL accepts for any point.
        /// </summary>
        public static HandlerSignature? Read(IMethodSymbol method, out string problem)
        {
            problem = "";
            if (method.Parameters.Length == 0)
            {
                problem = "it takes no parameters";
                return null;
            }
            var first = method.Parameters[0];
            var view = first.RefKind == RefKind.None ? ViewTypes.Find(MetadataName(first.Type)) : null;
            if (view is null)
            {
                problem = "its first parameter is " + Describe(first);
                return null;
            }
            var arguments = new List<HandlerArgument>();
            for (int i = 1; i < method.Parameters.Length; i++)
            {
                var p = method.Parameters[i];
                HandlerArgument? argument = null;
                if (p.RefKind == RefKind.None && p.Type.SpecialType == SpecialType.System_Int32) argument = HandlerArgument.Layer;
                else if (p.RefKind == RefKind.None && MetadataName(p.Type) == ViewTypes.HookContextName) argument = HandlerArgument.Context;
                if (argument is null || arguments.Contains(argument.Value))
                {
                    problem = "its parameter '" + p.Name + "' is " + Describe(p) + " (after the view come at most an int layer and a HookContext)";
                    return null;
                }
                arguments.Add(argument.Value);
            }
            bool returns = !method.ReturnsVoid;
            if (returns && (view.IsReadOnly || MetadataName(method.ReturnType) != view.MetadataName))
            {
                problem = view.IsReadOnly
                    ? "an observer (" + view.ShortName + ") returns void"
                    : "it returns " + method.ReturnType.ToDisplayString() + "; an editor returns void or a replacement " + view.ShortName;
                return null;
            }
            return new HandlerSignature(view, returns, arguments);
        }

        public static string MetadataName(ITypeSymbol type)
        {
            if (type is IErrorTypeSymbol || type.ContainingNamespace is null) return type.ToDisplayString();
            string ns = type.ContainingNamespace.IsGlobalNamespace ? "" : type.ContainingNamespace.ToDisplayString() + ".";
            return type.ContainingType is null ? ns + type.MetadataName : type.ToDisplayString();
        }

        static string Describe(IParameterSymbol p)
            => (p.RefKind == RefKind.None ? "" : p.RefKind.ToString().ToLowerInvariant() + " ") + p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
    }
}

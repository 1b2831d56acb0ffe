using System.Collections.Generic;
using Glassbox.Generators.Helpers;
using Microsoft.CodeAnalysis;

namespace Glassbox.Generators.Models
{
    /// <summary>One type of a nesting chain: its keyword (<c>class</c>, <c>record</c>, …) and name with type parameters.</summary>
    internal sealed record TypeDeclarationInfo(string Keyword, string Name, string MetadataName);

    /// <summary>
    /// Where a type lives: namespace and the chain of containing types, outermost first, so the emitter
    /// can reopen every level as <c>partial</c>. Holds strings only.
    /// </summary>
    internal sealed record HierarchyInfo(string Namespace, EquatableArray<TypeDeclarationInfo> Types)
    {
        public static HierarchyInfo From(INamedTypeSymbol type)
        {
            var chain = new List<TypeDeclarationInfo>();
            for (var t = type; t is not null; t = t.ContainingType)
                chain.Insert(0, new TypeDeclarationInfo(Keyword(t), t.ToDisplayString(NameFormat), t.MetadataName));
            string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
            return new HierarchyInfo(ns, chain.ToEquatableArray());
        }

        /// <summary><c>Outer.Inner</c>, as a person would write it (for messages).</summary>
        public string DisplayName
        {
            get
            {
                var names = new List<string>();
                foreach (var t in Types) names.Add(t.Name);
                return string.Join(".", names);
            }
        }

        /// <summary>Deterministic hint name: <c>{Namespace}.{Outer}.{Inner}.{suffix}.g.cs</c> (generic arity as <c>_1</c>).</summary>
        public string HintName(string suffix)
        {
            var parts = new List<string>();
            if (Namespace.Length > 0) parts.Add(Namespace);
            foreach (var t in Types) parts.Add(t.MetadataName.Replace('`', '_'));
            parts.Add(suffix);
            return string.Join(".", parts) + ".g.cs";
        }

        static readonly SymbolDisplayFormat NameFormat = new(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

        static string Keyword(INamedTypeSymbol t)
        {
            if (t.IsRecord) return t.TypeKind == TypeKind.Struct ? "record struct" : "record";
            switch (t.TypeKind)
            {
                case TypeKind.Struct: return "struct";
                case TypeKind.Interface: return "interface";
                default: return "class";
            }
        }
    }
}

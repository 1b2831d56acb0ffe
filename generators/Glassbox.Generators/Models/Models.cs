using System;
using Glassbox.Generators.Helpers;

namespace Glassbox.Generators.Models
{
    // The generator's value models: strings, numbers, enums and equatable arrays only — never a
    // symbol, syntax node, location or compilation — so unchanged input compares equal and is cached.

    /// <summary>Which generated files a type has; the first present owns <c>IHookSet.Register</c>.</summary>
    [Flags]
    internal enum RegistrationParts
    {
        None = 0,
        Hooks = 1,
        Cache = 2,
        Edits = 4,
    }

    internal enum HandlerArgument
    {
        Layer,
        Context,
    }

    /// <summary>One [Hook] attribute on one method.</summary>
    internal sealed record HookHandlerModel(
        string MethodName,
        string HookName,
        int CatalogIndex,
        LayerSpec Layers,
        string ViewGlobalName,
        bool IsPlainTensor,
        bool IsReadOnly,
        bool ReturnsReplacement,
        EquatableArray<HandlerArgument> Arguments);

    /// <summary>The valid handlers of one method, and the type they belong to.</summary>
    internal sealed record HookMethodModel(HierarchyInfo Type, EquatableArray<HookHandlerModel> Handlers, RegistrationParts Parts);

    /// <summary>All handlers of one partial type, in declaration order.</summary>
    internal sealed record HookSetModel(HierarchyInfo Type, EquatableArray<HookHandlerModel> Handlers, RegistrationParts Parts);

    /// <summary>One attribute name feeding a cache entry.</summary>
    internal sealed record CacheSourceModel(int CatalogIndex, string HookName, LayerSpec Layers);

    /// <summary>One typed accessor of a generated cache (one catalog entry, however many names select it).</summary>
    internal sealed record CacheEntryModel(
        string AccessorName,
        string FieldName,
        string ViewGlobalName,
        string Template,
        string Shape,
        bool ModelWide,
        EquatableArray<CacheSourceModel> Sources);

    internal sealed record CacheModel(HierarchyInfo Type, EquatableArray<CacheEntryModel> Entries, RegistrationParts Parts);

    internal enum EditKind
    {
        Ablate,
        Patch,
        SkipLayer,
    }

    /// <summary>Indices along one axis; <see cref="Role"/> is an <c>AxisRole</c> member name.</summary>
    internal sealed record SelectionModel(string Role, int Axis, EquatableArray<int> Indices);

    internal sealed record EditModel(
        EditKind Kind,
        int CatalogIndex,
        string HookName,
        LayerSpec Layers,
        string Mode,
        EquatableArray<SelectionModel> Selections,
        int Layer);

    internal sealed record EditsModel(HierarchyInfo Type, EquatableArray<EditModel> Edits, bool NeedsMeanCache, bool NeedsSourceCache, RegistrationParts Parts);
}

namespace Glassbox.Generators.Parsing
{
    /// <summary>Metadata names of the runtime types the generator and analyzers look for.</summary>
    internal static class KnownNames
    {
        public const string HookAttribute = "Glassbox.HookAttribute";
        public const string CacheActivationsAttribute = "Glassbox.CacheActivationsAttribute";
        public const string AblateAttribute = "Glassbox.AblateAttribute";
        public const string PatchAttribute = "Glassbox.PatchAttribute";
        public const string SkipLayerAttribute = "Glassbox.SkipLayerAttribute";
        public const string GlassboxModelAttribute = "Glassbox.GlassboxModelAttribute";
    }
}

namespace Glassbox.Generators
{
    /// <summary>Names of the generator's tracked steps (tests assert every one is cached on re-runs).</summary>
    public static class GlassboxGeneratorSteps
    {
        public const string HookMethods = nameof(HookMethods);
        public const string HookSets = nameof(HookSets);
        public const string Caches = nameof(Caches);
        public const string Ablations = nameof(Ablations);
        public const string Patches = nameof(Patches);
        public const string SkippedLayers = nameof(SkippedLayers);

        public static readonly string[] All = { HookMethods, HookSets, Caches, Ablations, Patches, SkippedLayers };
    }
}

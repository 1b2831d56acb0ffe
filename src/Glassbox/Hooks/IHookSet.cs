namespace Glassbox;

/// <summary>
/// A set of hooks that registers itself on a model: what the source generator implements for a
/// partial type with <see cref="HookAttribute"/> handlers (or <see cref="CacheActivationsAttribute"/>,
/// <see cref="AblateAttribute"/>, <see cref="SkipLayerAttribute"/>, <see cref="PatchAttribute"/>).
/// Attach with <c>model.Attach(set)</c> (dispose the result to remove exactly these hooks) or pass to
/// <c>model.Run(tokens, set)</c> for one run.
/// </summary>
public interface IHookSet
{
    /// <summary>Adds the set's hooks for the model <paramref name="hooks"/> is building for.</summary>
    void Register(HookSetBuilder hooks);
}

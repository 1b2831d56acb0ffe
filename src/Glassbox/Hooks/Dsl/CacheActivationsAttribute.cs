namespace Glassbox;

/// <summary>
/// Makes a partial class a cache of exactly the hook points named (same name syntax as
/// <see cref="HookAttribute"/>): the generator adds an <see cref="IHookSet"/> that records them, typed
/// accessors (<c>ResidPost(int layer)</c>, <c>AttnPattern(int layer)</c>, <c>Embed()</c>),
/// <c>SizeInBytes</c> and <c>EstimateSizeInBytes(model, batch, positions)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class CacheActivationsAttribute(params string[] names) : Attribute
{
    public string[] Names { get; } = names;
}

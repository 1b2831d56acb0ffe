namespace Glassbox;

/// <summary>
/// Marks an instance method of a partial type as a hook handler; the source generator registers it
/// in the type's generated <see cref="IHookSet"/>. Names: <c>hook_embed</c>, <c>ln_final.hook_scale</c>,
/// <c>blocks.&lt;L&gt;.…</c> (every layer), <c>blocks.5.…</c>, <c>blocks.-1.…</c> (last layer),
/// <c>blocks.{2..5}.…</c> (2 to 5 inclusive), <c>blocks.{1,3}.…</c>.
/// The first parameter decides the role: a <c>ReadOnly…</c> view observes, a mutable view edits in
/// place (or returns a replacement of the same type). Optional further parameters: <c>int layer</c>
/// and <see cref="Hooks.HookContext"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class HookAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

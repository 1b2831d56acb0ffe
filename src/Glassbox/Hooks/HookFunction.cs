using Glassbox.Tensors;

namespace Glassbox.Hooks;

/// <summary>
/// A hook: sees the activation flowing through a hook point. Edit it in place, or return a
/// replacement of the same shape (its values are copied in); return null to leave it as it is.
/// The tensor belongs to the forward pass: clone what you keep beyond the call.
/// </summary>
public delegate Tensor? HookFunction(Tensor activation, HookContext context);

/// <summary>Adapters from simpler lambdas to <see cref="HookFunction"/>.</summary>
public static class Hook
{
    /// <summary>A hook that reads or edits in place and never replaces.</summary>
    public static HookFunction Of(Action<Tensor, HookContext> action) => (t, c) => { action(t, c); return null; };

    /// <summary>A hook that reads or edits in place, ignoring the context.</summary>
    public static HookFunction Of(Action<Tensor> action) => (t, _) => { action(t); return null; };

    /// <summary>A hook that returns a replacement.</summary>
    public static HookFunction Replace(Func<Tensor, HookContext, Tensor> replace) => (t, c) => replace(t, c);
}

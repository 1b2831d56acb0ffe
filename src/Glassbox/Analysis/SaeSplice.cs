using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Analysis;

/// <summary>
/// An SAE spliced into a model at a hook point: the activation is replaced by the SAE's output, and
/// the SAE's own points — <c>{point}.hook_sae_input</c>, <c>.hook_sae_acts_pre</c>,
/// <c>.hook_sae_acts_post</c>, <c>.hook_sae_recons</c>, <c>.hook_sae_error</c>, <c>.hook_sae_output</c>
/// (SAELens's names) — become hook points of the model like any other: hookable, cacheable, filterable.
/// With the error term kept (default), output = recons + error, so an SAE nobody edits changes nothing
/// (exactly: the input flows on unchanged); edits to the latents then change the model by exactly
/// their decoded difference. Dispose to remove the SAE and its points.
/// </summary>
public sealed class SaeSplice : IDisposable
{
    readonly HookedTransformer _model;
    readonly HookScope _hook;
    readonly HookPoint[] _points;

    SaeSplice(HookedTransformer model, SparseAutoencoder sae, HookPoint site, bool keepErrorTerm)
    {
        _model = model;
        Sae = sae;
        Site = site;
        var table = model.HookPoints;
        HookPoint Add(string suffix, HookKind kind, int width, string description) => table.AddExtension(site, suffix, kind, width, description);
        Input = Add("hook_sae_input", HookKind.Residual, sae.DIn, "What the SAE reads.");
        ActsPre = Add("hook_sae_acts_pre", HookKind.Neurons, sae.DSae, "SAE pre-activations.");
        ActsPost = Add("hook_sae_acts_post", HookKind.Neurons, sae.DSae, "SAE latents.");
        Recons = Add("hook_sae_recons", HookKind.Residual, sae.DIn, "The SAE's reconstruction.");
        ErrorPoint = Add("hook_sae_error", HookKind.Residual, sae.DIn, "input − reconstruction of the unedited latents.");
        Output = Add("hook_sae_output", HookKind.Residual, sae.DIn, "What flows on: reconstruction (+ error).");
        _points = [Input, ActsPre, ActsPost, Recons, ErrorPoint, Output];
        KeepErrorTerm = keepErrorTerm;
        _hook = model.AddHook(site.Name, Run);
    }

    /// <summary>Splices <paramref name="sae"/> at <paramref name="hookName"/> (default: the SAE's own hook name).</summary>
    public static SaeSplice Attach(HookedTransformer model, SparseAutoencoder sae, string? hookName = null, bool keepErrorTerm = true)
    {
        string name = hookName ?? sae.HookName ?? throw new ArgumentException("Name the hook point: the SAE does not say where it was trained.");
        var site = model.HookPoints[name];
        int width = model.HookShape(site, 1, 1)[^1];
        if (width != sae.DIn) throw new ArgumentException($"{name} has width {width}; the SAE reads d_in = {sae.DIn}.");
        return new SaeSplice(model, sae, site, keepErrorTerm);
    }

    public SparseAutoencoder Sae { get; }
    public HookPoint Site { get; }
    public bool KeepErrorTerm { get; }
    public HookPoint Input { get; }
    public HookPoint ActsPre { get; }
    public HookPoint ActsPost { get; }
    public HookPoint Recons { get; }
    public HookPoint ErrorPoint { get; }
    public HookPoint Output { get; }

    /// <summary>Multiplies the chosen latents by <paramref name="factor"/> (a controller); dispose to stop.</summary>
    public HookScope Scale(IReadOnlyList<int> latents, float factor)
        => _model.AddHook(ActsPost.Name, Hook.Of(f => EachLatent(f, latents, (row, i) => row[i] *= factor)));

    /// <summary>Sets the chosen latents to <paramref name="value"/> wherever they fire (or everywhere with <paramref name="alsoWhereInactive"/>).</summary>
    public HookScope Clamp(IReadOnlyList<int> latents, float value, bool alsoWhereInactive = false)
        => _model.AddHook(ActsPost.Name, Hook.Of(f => EachLatent(f, latents, (row, i) => { if (alsoWhereInactive || row[i] > 0) row[i] = value; })));

    void EachLatent(Tensor f, IReadOnlyList<int> latents, LatentEdit edit)
    {
        foreach (int i in latents)
            if ((uint)i >= (uint)Sae.DSae) throw new ArgumentOutOfRangeException(nameof(latents), $"Latent {i} is outside 0..{Sae.DSae - 1}.");
        for (int r = 0; r < f.Length / Sae.DSae; r++)
        {
            var row = f.Span.Slice(r * Sae.DSae, Sae.DSae);
            foreach (int i in latents) edit(row, i);
        }
    }

    /// <summary>Feeds every run's latents (with its tokens) to <paramref name="tracker"/> (a detector); dispose to stop.</summary>
    public HookScope Track(LatentTracker tracker)
    {
        if (tracker.Latents != Sae.DSae) throw new ArgumentException($"The tracker has {tracker.Latents} latents; the SAE has {Sae.DSae}.");
        return _model.AddHook(ActsPost.Name, Hook.Of((f, context) => tracker.Observe(f, context.Tokens)));
    }

    delegate void LatentEdit(Span<float> row, int latent);

    Tensor? Run(Tensor x, HookContext context)
    {
        var input = context.FireNested(Input, x.Clone());
        var pre = context.FireNested(ActsPre, Sae.EncodePre(input));
        var clean = Sae.Activate(pre);
        var acts = context.FireNested(ActsPost, clean.Clone());
        var recons = context.FireNested(Recons, Sae.Decode(acts));
        Tensor output;
        if (KeepErrorTerm)
        {
            var cleanRecons = Sae.Decode(clean);
            var error = input.Clone();
            TensorPrimitives.Subtract(error.Span, cleanRecons.Span, error.Span);
            error = context.FireNested(ErrorPoint, error);
            // Untouched latents, reconstruction and error: pass the input on bit for bit.
            bool untouched = recons.Span.SequenceEqual(cleanRecons.Span) && ErrorIsExact(input, cleanRecons, error);
            if (untouched) output = input.Clone();
            else
            {
                output = recons.Clone();
                TensorPrimitives.Add(output.Span, error.Span, output.Span);
            }
        }
        else output = recons.Clone();
        return context.FireNested(Output, output);
    }

    static bool ErrorIsExact(Tensor input, Tensor recons, Tensor error)
    {
        var expected = input.Clone();
        TensorPrimitives.Subtract(expected.Span, recons.Span, expected.Span);
        return expected.Span.SequenceEqual(error.Span);
    }

    public void Dispose()
    {
        _hook.Dispose();
        foreach (var p in _points) _model.HookPoints.RemoveExtension(p);
    }
}

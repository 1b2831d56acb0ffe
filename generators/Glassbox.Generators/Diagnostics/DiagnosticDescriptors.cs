using Microsoft.CodeAnalysis;

namespace Glassbox.Generators.Diagnostics
{
    /// <summary>
    /// Every diagnostic of the hook DSL, with stable IDs (never reuse one). Each has a page under
    /// <c>docs/diagnostics/</c> and a line in <c>AnalyzerReleases.*.md</c>. Reported by the analyzers on
    /// the attribute's string literal; the generator reports nothing.
    /// </summary>
    internal static class DiagnosticDescriptors
    {
        const string Category = "Glassbox.Hooks";

        /// <summary>Property of GBX0001 holding the suggested name.</summary>
        public const string SuggestionProperty = "Suggestion";

        /// <summary>Property of GBX0003 holding the metadata name of the view type the handler should take.</summary>
        public const string ExpectedTypeProperty = "ExpectedType";

        static DiagnosticDescriptor Rule(string id, string title, string message, DiagnosticSeverity severity, string description, params string[] tags)
            => new(id, title, message, Category, severity, isEnabledByDefault: true, description: description,
                helpLinkUri: "docs/diagnostics/" + id + ".md", customTags: tags);

        public static readonly DiagnosticDescriptor UnknownHookPoint = Rule(
            "GBX0001", "Unknown hook point",
            "Unknown hook point '{0}': {1}{2}",
            DiagnosticSeverity.Error,
            "The name does not match any point of the hook catalog.");

        public static readonly DiagnosticDescriptor MalformedHookName = Rule(
            "GBX0002", "Malformed hook name",
            "Malformed hook name '{0}': {1}",
            DiagnosticSeverity.Error,
            "Hook names are hook_embed-style model-wide names or blocks.<layers>.<point> with <L>, a number, {a..b} or {a,b}.");

        public static readonly DiagnosticDescriptor HandlerDoesNotFitKind = Rule(
            "GBX0003", "Handler signature does not fit the hook's kind",
            "'{0}' cannot handle '{1}' ({2} {3}): {4}; take {5}, optionally followed by int layer and HookContext",
            DiagnosticSeverity.Error,
            "A handler's first parameter is a typed view of the hook's kind (read-only to observe, mutable to edit) or a plain tensor.");

        public static readonly DiagnosticDescriptor TypeNotPartial = Rule(
            "GBX0004", "Containing type is not partial",
            "'{0}' must be declared partial (with every type that contains it) so the generator can add its hook registration",
            DiagnosticSeverity.Error,
            "The generator adds an IHookSet implementation to the type, which needs every declaration of it and of its containing types to be partial.");

        public static readonly DiagnosticDescriptor OutOfRangeForModel = Rule(
            "GBX0005", "Index out of range for the declared model",
            "'{0}': {1}",
            DiagnosticSeverity.Error,
            "The assembly declares its model ([assembly: GlassboxModel] or a config.json AdditionalFile) and the hook names a layer, head or neuron it does not have.");

        public static readonly DiagnosticDescriptor HookAbsentInFamily = Rule(
            "GBX0006", "Hook point absent from the declared model family",
            "'{0}' does not exist in {1} models: it needs {2}",
            DiagnosticSeverity.Error,
            "The declared model's family has no such hook point (e.g. hook_pos_embed in a rotary model).");

        public static readonly DiagnosticDescriptor DuplicateHandler = Rule(
            "GBX0007", "Duplicate handler for one hook point",
            "'{0}' and '{1}' both handle {2} in '{3}'; merge them into one handler",
            DiagnosticSeverity.Warning,
            "Two handlers of one type on the same point run in declaration order, which is easy to get wrong.");

        public static readonly DiagnosticDescriptor UnsupportedHandler = Rule(
            "GBX0008", "Unsupported hook handler",
            "'{0}' cannot be a hook handler: {1}",
            DiagnosticSeverity.Error,
            "Handlers are non-generic, synchronous instance methods of a partial class returning void or a replacement view.");

        public static readonly DiagnosticDescriptor AxisNotOnHook = Rule(
            "GBX0009", "The hook point has no such axis",
            "'{0}' has no {1} axis (its shape is {2}); {3}",
            DiagnosticSeverity.Error,
            "Heads exist on q/k/v/z/result/pattern/scores and the per-head inputs, neurons on the mlp hooks.");

        public static readonly DiagnosticDescriptor GatedHookCost = Rule(
            "GBX0010", "Gated hook point costs extra work",
            "'{0}' is computed only because something listens to it, which costs extra compute and memory per run",
            DiagnosticSeverity.Info,
            "Gated points (hook_result, hook_attn_in, hook_q/k/v_input, hook_mlp_in) are not computed by a plain forward pass.");

        public static readonly DiagnosticDescriptor InvalidModelDeclaration = Rule(
            "GBX0011", "The declared model cannot be read",
            "The model declaration cannot be used: {0}",
            DiagnosticSeverity.Warning,
            "A config.json AdditionalFile or [assembly: GlassboxModel] that the analyzer cannot read turns the model-aware checks off.",
            WellKnownDiagnosticTags.CompilationEnd);
    }
}

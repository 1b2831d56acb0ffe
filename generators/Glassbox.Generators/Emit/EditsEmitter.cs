using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Glassbox.Generators.Helpers;
using Glassbox.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Glassbox.Generators.Emit
{
    /// <summary>[Ablate], [Patch] and [SkipLayer] → editing hooks, and the caches they read.</summary>
    internal static class EditsEmitter
    {
        const string CacheType = "global::System.Collections.Generic.IReadOnlyDictionary<string, global::Glassbox.Tensors.Tensor>?";

        public static void Emit(SourceProductionContext context, EditsModel model)
            => context.AddSource(model.Type.HintName("Edits"), SourceText.From(Render(model), System.Text.Encoding.UTF8));

        public static string Render(EditsModel model)
            => Emitter.Write(model.Type, model.Parts, RegistrationParts.Edits, w =>
            {
                string typeName = CSharp.Literal(model.Type.DisplayName);
                if (model.NeedsMeanCache)
                {
                    w.WriteLine("/// <summary>Activations whose mean over the batch Mean ablations put in (e.g. a cache from <c>RunWithCache</c>); set before attaching.</summary>");
                    w.WriteLine(Emitter.GeneratedCode);
                    w.WriteLine("public " + CacheType + " MeanCache { get; init; }");
                    w.WriteLine();
                }
                if (model.NeedsSourceCache)
                {
                    w.WriteLine("/// <summary>Activations that patches and Resample ablations copy in (e.g. a cache of a clean run); set before attaching.</summary>");
                    w.WriteLine(Emitter.GeneratedCode);
                    w.WriteLine("public " + CacheType + " SourceCache { get; init; }");
                    w.WriteLine();
                }
                w.WriteLine(Emitter.GeneratedCode);
                using (w.OpenBlock("private void " + Emitter.MethodFor(RegistrationParts.Edits) + "(global::Glassbox.HookSetBuilder hooks)"))
                {
                    foreach (var edit in model.Edits)
                    {
                        switch (edit.Kind)
                        {
                            case EditKind.SkipLayer:
                                w.WriteLine("hooks.SkipLayer(" + CSharp.Literal(edit.Layer) + ", " + typeName + ");");
                                break;
                            case EditKind.Patch:
                                w.WriteLine("hooks.Patch(" + Head(edit) + ", SourceCache, " + typeName + Selections(edit) + ");");
                                break;
                            default:
                                string reference = edit.Mode == "Mean" ? "MeanCache" : edit.Mode == "Resample" ? "SourceCache" : "null";
                                w.WriteLine("hooks.Ablate(" + Head(edit) + ", global::Glassbox.AblationMode." + edit.Mode + ", " + reference + ", " + typeName + Selections(edit) + ");");
                                break;
                        }
                    }
                }
            });

        static string Head(EditModel edit)
            => CSharp.Literal(edit.CatalogIndex) + ", " + CSharp.Literal(edit.HookName) + ", " + edit.Layers.ToExpression();

        static string Selections(EditModel edit)
        {
            var parts = new List<string>();
            foreach (var s in edit.Selections)
            {
                var indices = s.Indices.Select(i => i.ToString(CultureInfo.InvariantCulture));
                parts.Add(", new global::Glassbox.AxisSelection(global::Glassbox.AxisRole." + s.Role + ", " + CSharp.Literal(s.Axis)
                    + (s.Indices.Count == 0 ? "" : ", " + string.Join(", ", indices)) + ")");
            }
            return string.Concat(parts);
        }
    }
}

using System.Linq;
using Glassbox.Generators.Helpers;
using Glassbox.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Glassbox.Generators.Emit
{
    /// <summary>[CacheActivations] → recordings, typed accessors and sizes.</summary>
    internal static class CacheEmitter
    {
        public static void Emit(SourceProductionContext context, CacheModel model)
            => context.AddSource(model.Type.HintName("Cache"), SourceText.From(Render(model), System.Text.Encoding.UTF8));

        public static string Render(CacheModel model)
            => Emitter.Write(model.Type, model.Parts, RegistrationParts.Cache, w =>
            {
                string typeName = model.Type.DisplayName;
                foreach (var entry in model.Entries)
                {
                    w.WriteLine(Emitter.GeneratedCode);
                    w.WriteLine("private readonly global::Glassbox.RecordedActivations " + entry.FieldName + " = new(" + CSharp.Literal(entry.Template) + ");");
                    w.WriteLine();
                }
                foreach (var entry in model.Entries)
                {
                    string names = string.Join(", ", entry.Sources.Select(s => "<c>" + CSharp.Xml(s.HookName) + "</c>"));
                    if (entry.ModelWide)
                    {
                        w.WriteLine("/// <summary>" + names + " " + entry.Shape + " from the latest run; valid until the next run or <see cref=\"Clear\"/>.</summary>");
                        w.WriteLine(Emitter.GeneratedCode);
                        w.WriteLine("public " + entry.ViewGlobalName + " " + entry.AccessorName + "() => new(" + entry.FieldName + ".Get(-1));");
                    }
                    else
                    {
                        w.WriteLine("/// <summary>" + names + " " + entry.Shape + " at <paramref name=\"layer\"/> (negative counts from the end) from the latest run; valid until the next run or <see cref=\"Clear\"/>.</summary>");
                        w.WriteLine(Emitter.GeneratedCode);
                        w.WriteLine("public " + entry.ViewGlobalName + " " + entry.AccessorName + "(int layer) => new(" + entry.FieldName + ".Get(layer));");
                    }
                    w.WriteLine();
                }

                w.WriteLine("/// <summary>Bytes the recorded activations hold.</summary>");
                w.WriteLine(Emitter.GeneratedCode);
                w.WriteLine("public long SizeInBytes => " + (model.Entries.Count == 0 ? "0" : string.Join(" + ", model.Entries.Select(e => e.FieldName + ".SizeInBytes"))) + ";");
                w.WriteLine();

                w.WriteLine("/// <summary>Bytes this cache will hold after a run of <paramref name=\"batch\"/> × <paramref name=\"positions\"/> tokens on <paramref name=\"model\"/> — know before you run.</summary>");
                w.WriteLine(Emitter.GeneratedCode);
                using (w.OpenBlock("public static long EstimateSizeInBytes(global::Glassbox.Models.HookedTransformer model, int batch, int positions)"))
                {
                    w.WriteLine("long bytes = 0;");
                    foreach (var entry in model.Entries)
                        foreach (var source in entry.Sources)
                            w.WriteLine("bytes += global::Glassbox.RecordedActivations.EstimateBytes(model, " + CSharp.Literal(source.CatalogIndex) + ", "
                                + CSharp.Literal(source.HookName) + ", " + source.Layers.ToExpression() + ", batch, positions);");
                    w.WriteLine("return bytes;");
                }
                w.WriteLine();

                w.WriteLine("/// <summary>Drops every recording.</summary>");
                w.WriteLine(Emitter.GeneratedCode);
                using (w.OpenBlock("public void Clear()"))
                {
                    foreach (var entry in model.Entries) w.WriteLine(entry.FieldName + ".Clear();");
                }
                w.WriteLine();

                w.WriteLine(Emitter.GeneratedCode);
                using (w.OpenBlock("private void " + Emitter.MethodFor(RegistrationParts.Cache) + "(global::Glassbox.HookSetBuilder hooks)"))
                {
                    foreach (var entry in model.Entries)
                        foreach (var source in entry.Sources)
                            w.WriteLine("hooks.Record(" + entry.FieldName + ", " + CSharp.Literal(source.CatalogIndex) + ", " + CSharp.Literal(source.HookName) + ", "
                                + source.Layers.ToExpression() + ", " + CSharp.Literal(typeName) + ");");
                }
            });
    }
}

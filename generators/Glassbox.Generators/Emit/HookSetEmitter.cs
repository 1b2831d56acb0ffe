using System.Collections.Generic;
using Glassbox.Generators.Helpers;
using Glassbox.Generators.Models;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Glassbox.Generators.Emit
{
    /// <summary>[Hook] handlers → one delegate registration each.</summary>
    internal static class HookSetEmitter
    {
        public static void Emit(SourceProductionContext context, HookSetModel model)
            => context.AddSource(model.Type.HintName("Hooks"), SourceText.From(Render(model), System.Text.Encoding.UTF8));

        public static string Render(HookSetModel model)
            => Emitter.Write(model.Type, model.Parts, RegistrationParts.Hooks, w =>
            {
                w.WriteLine(Emitter.GeneratedCode);
                using (w.OpenBlock("private void " + Emitter.MethodFor(RegistrationParts.Hooks) + "(global::Glassbox.HookSetBuilder hooks)"))
                {
                    bool first = true;
                    foreach (var handler in model.Handlers)
                    {
                        if (!first) w.WriteLine();
                        first = false;
                        w.WriteLine("// " + handler.MethodName + ": [Hook(" + CSharp.Literal(handler.HookName) + ")]");
                        w.WriteLine("hooks.Add(" + CSharp.Literal(handler.CatalogIndex) + ", " + CSharp.Literal(handler.HookName) + ", " + handler.Layers.ToExpression() + ",");
                        w.Indentation++;
                        w.WriteLine(Lambda(handler) + ",");
                        w.WriteLine(CSharp.Literal(model.Type.DisplayName + "." + handler.MethodName) + ");");
                        w.Indentation--;
                    }
                }
            });

        static string Lambda(HookHandlerModel handler)
        {
            var arguments = new List<string>
            {
                handler.IsPlainTensor
                    ? handler.IsReadOnly ? "new global::Glassbox.ReadOnlyTensor(activation)" : "activation"
                    : "new " + handler.ViewGlobalName + "(activation)",
            };
            foreach (var argument in handler.Arguments)
                arguments.Add(argument == HandlerArgument.Layer ? "context.Layer" : "context");
            string call = "this." + CSharp.Identifier(handler.MethodName) + "(" + string.Join(", ", arguments) + ")";
            if (!handler.ReturnsReplacement) return "(activation, context) => { " + call + "; return null; }";
            return handler.IsPlainTensor ? "(activation, context) => " + call : "(activation, context) => " + call + ".Tensor";
        }
    }
}

using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Glassbox.Generators.CodeFixes
{
    /// <summary>GBX0003: changes the handler's first parameter to the view type the hook's kind expects.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseExpectedViewTypeCodeFix)), Shared]
    public sealed class UseExpectedViewTypeCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.HandlerDoesNotFitKind);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root is null) return;
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(DiagnosticIds.ExpectedTypeProperty, out var expected) || expected is null) continue;
                var method = root.FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault();
                var parameter = method?.ParameterList.Parameters.FirstOrDefault();
                if (parameter?.Type is null) continue;
                string shortName = expected.Substring(expected.LastIndexOf('.') + 1);
                var newType = SyntaxFactory.ParseTypeName("global::" + expected)
                    .WithTriviaFrom(parameter.Type)
                    .WithAdditionalAnnotations(Simplifier.Annotation);
                var newRoot = root.ReplaceNode(parameter.Type, newType);
                // A replacement-returning editor returns the same view: change the return type with it.
                if (method!.ReturnType is { } returnType && !(returnType is PredefinedTypeSyntax p && p.Keyword.IsKind(SyntaxKind.VoidKeyword))
                    && returnType.ToString() == parameter.Type.ToString())
                {
                    newRoot = root.ReplaceNodes(new SyntaxNode[] { parameter.Type, returnType }, (original, _) =>
                        SyntaxFactory.ParseTypeName("global::" + expected).WithTriviaFrom(original).WithAdditionalAnnotations(Simplifier.Annotation));
                }
                var fixedRoot = newRoot;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Take " + shortName,
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)),
                        equivalenceKey: nameof(UseExpectedViewTypeCodeFix) + ":" + expected),
                    diagnostic);
            }
        }
    }
}

using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Glassbox.Generators.CodeFixes
{
    /// <summary>GBX0001: replaces an unknown hook name with the analyzer's "did you mean" suggestion.</summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseSuggestedHookNameCodeFix)), Shared]
    public sealed class UseSuggestedHookNameCodeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.UnknownHookPoint);

        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(DiagnosticIds.SuggestionProperty, out var suggestion) || suggestion is null) continue;
                if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not LiteralExpressionSyntax literal
                    || !literal.IsKind(SyntaxKind.StringLiteralExpression)) continue;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Use '" + suggestion + "'",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal,
                            SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(suggestion)).WithTriviaFrom(literal)))),
                        equivalenceKey: nameof(UseSuggestedHookNameCodeFix) + ":" + suggestion),
                    diagnostic);
            }
        }
    }
}

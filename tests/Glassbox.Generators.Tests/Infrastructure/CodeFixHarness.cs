using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Glassbox.Generators.Tests.Infrastructure;

/// <summary>
/// Applies a code fix the way an IDE does: the analyzer's diagnostic, the provider's registered
/// action, its operations applied to an AdhocWorkspace solution (with simplification and
/// formatting); returns the fixed text.
/// </summary>
public static class CodeFixHarness
{
    public static string Apply(CodeFixProvider provider, string source, string diagnosticId, int occurrence = 0)
    {
        var diagnostic = AnalyzerHarness.Analyze(source).Where(d => d.Id == diagnosticId).ElementAt(occurrence);

        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "Consumer", "Consumer", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: TestCompilation.ParseOptions,
            metadataReferences: TestCompilation.References));
        var document = workspace.AddDocument(project.Id, "Source0.cs", SourceText.From(source));

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        provider.RegisterCodeFixesAsync(context).GetAwaiter().GetResult();
        actions.Should().ContainSingle($"one fix is offered for {diagnosticId}");

        var operations = actions[0].GetOperationsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var apply = operations.OfType<ApplyChangesOperation>().Single();
        apply.Apply(workspace, CancellationToken.None);
        return workspace.CurrentSolution.GetDocument(document.Id)!.GetTextAsync().GetAwaiter().GetResult().ToString();
    }

    public static string Title(CodeFixProvider provider, string source, string diagnosticId)
    {
        var diagnostic = AnalyzerHarness.Analyze(source).First(d => d.Id == diagnosticId);
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Consumer", LanguageNames.CSharp);
        var document = workspace.AddDocument(project.Id, "Source0.cs", SourceText.From(source));
        var actions = new List<CodeAction>();
        provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None)).GetAwaiter().GetResult();
        return actions.Single().Title;
    }

    /// <summary>The fixed source compiles (with the generator) without errors or warnings, and the diagnostic is gone.</summary>
    public static void AssertCompilesClean(string source, string fixedId)
    {
        var compilation = TestCompilation.Create(source);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        TestCompilation.Problems(output).Should().BeEmpty();
        AnalyzerHarness.Analyze(source).Where(d => d.Id == fixedId).Should().BeEmpty();
    }
}

extern alias generators;

using System.Collections.Immutable;
using System.Text;
using generators::Glassbox.Generators;
using generators::Glassbox.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Glassbox.Generators.Tests.Infrastructure;

/// <summary>
/// Runs the analyzers on a compilation (with the generator's output, as in a real build) and checks
/// the diagnostics against markup: <c>{|GBX0001:"text"|}</c> marks where a diagnostic must be and which.
/// Every expected one must be reported there, and nothing else with a GBX id.
/// </summary>
public static class AnalyzerHarness
{
    public sealed record Expected(string Id, TextSpan Span);

    public static (string Source, IReadOnlyList<Expected> Expected) ParseMarkup(string markup)
    {
        var sb = new StringBuilder();
        var expected = new List<Expected>();
        int i = 0;
        while (i < markup.Length)
        {
            int open = markup.IndexOf("{|", i, StringComparison.Ordinal);
            if (open < 0) { sb.Append(markup, i, markup.Length - i); break; }
            sb.Append(markup, i, open - i);
            int colon = markup.IndexOf(':', open);
            string id = markup.Substring(open + 2, colon - open - 2);
            int close = markup.IndexOf("|}", colon, StringComparison.Ordinal);
            int start = sb.Length;
            sb.Append(markup, colon + 1, close - colon - 1);
            expected.Add(new Expected(id, TextSpan.FromBounds(start, sb.Length)));
            i = close + 2;
        }
        return (sb.ToString(), expected);
    }

    /// <summary>Every GBX diagnostic for <paramref name="source"/> (already without markup).</summary>
    public static ImmutableArray<Diagnostic> Analyze(string source, params (string Path, string Text)[] additionalFiles)
    {
        var compilation = TestCompilation.Create(source);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var withGenerated, out _);
        var options = new AnalyzerOptions(additionalFiles.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)).ToImmutableArray());
        return withGenerated
            .WithAnalyzers([new HookAnalyzer()], options)
            .GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .Where(d => d.Id.StartsWith("GBX", StringComparison.Ordinal))
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id)
            .ToImmutableArray();
    }

    /// <summary>Checks the markup's diagnostics are exactly those reported; returns them for further checks.</summary>
    public static ImmutableArray<Diagnostic> Verify(string markup, params (string Path, string Text)[] additionalFiles)
    {
        var (source, expected) = ParseMarkup(markup);
        var actual = Analyze(source, additionalFiles);
        var actualPairs = actual.Select(d => $"{d.Id}@{(d.Location.IsInSource ? source.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length) : "<none>")}").ToList();
        var expectedPairs = expected.Select(e => $"{e.Id}@{source.Substring(e.Span.Start, e.Span.Length)}").ToList();
        actualPairs.Should().BeEquivalentTo(expectedPairs, "diagnostics were: " + string.Join(Environment.NewLine, actual));
        foreach (var e in expected)
            actual.Should().Contain(d => d.Id == e.Id && (!d.Location.IsInSource || d.Location.SourceSpan == e.Span), $"{e.Id} must be reported on its span");
        return actual;
    }

    public sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;
        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}

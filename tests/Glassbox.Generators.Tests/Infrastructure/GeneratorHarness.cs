extern alias generators;

using System.Collections;
using System.Collections.Immutable;
using System.Reflection;
using generators::Glassbox.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Glassbox.Generators.Tests.Infrastructure;

/// <summary>
/// Runs the generator the way every generator test must: compile the output and demand zero
/// warnings; run again on a cloned compilation and demand every tracked step be Cached or
/// Unchanged; and walk every model the pipeline produced, failing on symbols, syntax, locations or
/// compilations (which would defeat caching and keep compilations alive).
/// </summary>
public static class GeneratorHarness
{
    public static GeneratorDriver CreateDriver()
        => CSharpGeneratorDriver.Create(
            [new HookSetGenerator().AsSourceGenerator()],
            parseOptions: TestCompilation.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Generated files by hint name, after every check above.</summary>
    public static IReadOnlyDictionary<string, string> Run(params string[] sources)
    {
        var compilation = TestCompilation.Create(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        generatorDiagnostics.Should().BeEmpty("the generator reports nothing (the analyzers do)");
        TestCompilation.Problems(output).Should().BeEmpty("the generated code must compile without warnings");

        var first = driver.GetRunResult().Results.Single();
        first.Exception.Should().BeNull();
        AssertModelsHoldNoCompilerObjects(first);

        var second = driver.RunGenerators(compilation.Clone()).GetRunResult().Results.Single();
        AssertAllCached(second);
        AssertSameOutputs(first, second);
        second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs)
            .Should().OnlyContain(o => o.Reason == IncrementalStepRunReason.Cached, "no source is re-emitted when nothing changed");
        if (first.GeneratedSources.Length > 0)
            first.TrackedSteps.Keys.Intersect(GlassboxGeneratorSteps.All).Should().NotBeEmpty("the tracked step names must still name the pipeline's steps");
        return first.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);
    }

    public static void AssertAllCached(GeneratorRunResult result)
    {
        foreach (var name in GlassboxGeneratorSteps.All)
        {
            if (!result.TrackedSteps.TryGetValue(name, out var runs)) continue;
            foreach (var run in runs)
                foreach (var (_, reason) in run.Outputs)
                    reason.Should().BeOneOf([IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged],
                        $"step {name} must be cached when nothing changed");
        }
    }

    /// <summary>Each tracked step produced equal values on both runs (the models compare by value).</summary>
    public static void AssertSameOutputs(GeneratorRunResult first, GeneratorRunResult second)
    {
        foreach (var name in GlassboxGeneratorSteps.All)
        {
            var a = first.TrackedSteps.TryGetValue(name, out var x) ? x.SelectMany(r => r.Outputs.Select(o => o.Value)).ToList() : [];
            var b = second.TrackedSteps.TryGetValue(name, out var y) ? y.SelectMany(r => r.Outputs.Select(o => o.Value)).ToList() : [];
            b.Should().Equal(a, $"step {name} must produce equal models for an equal compilation");
        }
    }

    /// <summary>Reasons of every output of a tracked step.</summary>
    public static IReadOnlyList<IncrementalStepRunReason> Reasons(GeneratorRunResult result, string step)
        => result.TrackedSteps.TryGetValue(step, out var runs)
            ? runs.SelectMany(r => r.Outputs.Select(o => o.Reason)).ToList()
            : [];

    public static void AssertModelsHoldNoCompilerObjects(GeneratorRunResult result)
    {
        foreach (var name in GlassboxGeneratorSteps.All)
            foreach (var run in result.TrackedSteps.TryGetValue(name, out var runs) ? runs : [])
                foreach (var (value, _) in run.Outputs)
                    Walk(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    static readonly Type[] Forbidden = [typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree)];

    static void Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null) return;
        var type = value.GetType();
        foreach (var forbidden in Forbidden)
            if (forbidden.IsAssignableFrom(type))
                throw new InvalidOperationException($"The generator model at {path} holds a {forbidden.Name} ({type.Name}); models must hold values only.");
        if (type.IsPrimitive || type.IsEnum || value is string || value is decimal) return;
        if (!type.IsValueType && !seen.Add(value)) return;
        if (value is IEnumerable items && value is not string)
        {
            int i = 0;
            foreach (var item in items) Walk(item, $"{path}[{i++}]", seen);
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                Walk(field.GetValue(value), $"{path}.{field.Name}", seen);
    }

    /// <summary>Runs the driver twice, the second time with <paramref name="edit"/> applied to the compilation; returns the second run.</summary>
    public static GeneratorRunResult RunTwice(string[] sources, Func<CSharpCompilation, CSharpCompilation> edit)
    {
        var compilation = TestCompilation.Create(sources);
        var driver = CreateDriver().RunGenerators(compilation);
        return driver.RunGenerators(edit(compilation)).GetRunResult().Results.Single();
    }

    public static CSharpCompilation ReplaceSource(CSharpCompilation compilation, int index, string newText)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(newText, TestCompilation.ParseOptions, path: old.FilePath));
    }
}

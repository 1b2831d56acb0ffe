extern alias generators;

using generators::Glassbox.Generators;
using Glassbox.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Glassbox.Generators.Tests.Generator;

/// <summary>Edits to the compilation and what the pipeline recomputes (LoggerMessage generator's scenario tests).</summary>
public class IncrementalTests
{
    const string Hooks = """
        using Glassbox;
        namespace Demo;
        public partial class Probe
        {
            [Hook("blocks.<L>.hook_resid_post")]
            void OnResid(ReadOnlyResidual resid, int layer) { }
        }
        """;

    const string Unrelated = """
        namespace Demo;
        public class Other
        {
            public int Value() => 1;
        }
        """;

    [Fact]
    public void AnUnrelatedEditLeavesTheOutputUnchanged()
    {
        var run = GeneratorHarness.RunTwice([Hooks, Unrelated], c => GeneratorHarness.ReplaceSource(c, 1, Unrelated.Replace("=> 1", "=> 2")));
        GeneratorHarness.Reasons(run, GlassboxGeneratorSteps.HookSets).Should().OnlyContain(r => r == IncrementalStepRunReason.Cached || r == IncrementalStepRunReason.Unchanged)
            .And.NotBeEmpty();
        GeneratorHarness.AssertAllCached(run);
    }

    [Fact]
    public void AnEditInsideTheHookTypeThatKeepsItsModelIsUnchanged()
    {
        var run = GeneratorHarness.RunTwice([Hooks], c => GeneratorHarness.ReplaceSource(c, 0, Hooks.Replace("int layer) { }", "int layer) { System.Console.WriteLine(layer); }")));
        GeneratorHarness.Reasons(run, GlassboxGeneratorSteps.HookSets).Should().NotBeEmpty();
        GeneratorHarness.AssertAllCached(run);
    }

    [Fact]
    public void AChangedHookNameIsModified()
    {
        var run = GeneratorHarness.RunTwice([Hooks], c => GeneratorHarness.ReplaceSource(c, 0, Hooks.Replace("hook_resid_post", "hook_resid_pre")));
        GeneratorHarness.Reasons(run, GlassboxGeneratorSteps.HookMethods).Should().Equal(IncrementalStepRunReason.Modified);
        GeneratorHarness.Reasons(run, GlassboxGeneratorSteps.HookSets).Should().Equal(IncrementalStepRunReason.Modified);
        run.GeneratedSources.Single().SourceText.ToString().Should().Contain("\"blocks.<L>.hook_resid_pre\"");
    }

    [Fact]
    public void ANewHandlerIsNewAndItsTypeModified()
    {
        var run = GeneratorHarness.RunTwice([Hooks], c => GeneratorHarness.ReplaceSource(c, 0, Hooks.Replace("}\n}", "}\n    [Hook(\"hook_embed\")] void OnEmbed(ReadOnlyResidual e) { }\n}")));
        GeneratorHarness.Reasons(run, GlassboxGeneratorSteps.HookMethods).Should().Contain(IncrementalStepRunReason.New);
        GeneratorHarness.Reasons(run, GlassboxGeneratorSteps.HookSets).Should().Equal(IncrementalStepRunReason.Modified);
    }

    [Fact]
    public void AHookAddedInAnotherPartOfACacheTypeMovesTheRegistrationWithoutAStaleCopy()
    {
        const string cache = """
            using Glassbox;
            namespace Demo;
            [CacheActivations("hook_embed")]
            public partial class Both { }
            """;
        const string before = """
            namespace Demo;
            public partial class Both { }
            """;
        const string after = """
            using Glassbox;
            namespace Demo;
            public partial class Both
            {
                [Hook("blocks.0.hook_resid_pre")] void OnResid(ReadOnlyResidual r) { }
            }
            """;
        var compilation = TestCompilation.Create(cache, before);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var edited = GeneratorHarness.ReplaceSource(compilation, 1, after);
        driver.RunGeneratorsAndUpdateCompilation(edited, out var output, out _);
        TestCompilation.Problems(output).Should().BeEmpty("exactly one part implements IHookSet.Register after the edit");

        var back = GeneratorHarness.ReplaceSource(edited, 1, before);
        driver.RunGenerators(edited).RunGeneratorsAndUpdateCompilation(back, out var restored, out _);
        TestCompilation.Problems(restored).Should().BeEmpty("and the cache owns it again once the hook is gone");
    }

    [Fact]
    public void ACachedPointRenamedIsModifiedAndAnUnrelatedEditCached()
    {
        const string cache = """
            using Glassbox;
            namespace Demo;
            [CacheActivations("blocks.<L>.hook_resid_post")]
            [SkipLayer(1)]
            public partial class Recorder { }
            """;
        var renamed = GeneratorHarness.RunTwice([cache, Unrelated], c => GeneratorHarness.ReplaceSource(c, 0, cache.Replace("resid_post", "resid_pre")));
        GeneratorHarness.Reasons(renamed, GlassboxGeneratorSteps.Caches).Should().Equal(IncrementalStepRunReason.Modified);
        var unrelated = GeneratorHarness.RunTwice([cache, Unrelated], c => GeneratorHarness.ReplaceSource(c, 1, Unrelated.Replace("=> 1", "=> 2")));
        GeneratorHarness.AssertAllCached(unrelated);
        GeneratorHarness.Reasons(unrelated, GlassboxGeneratorSteps.SkippedLayers).Should().NotBeEmpty();
    }
}

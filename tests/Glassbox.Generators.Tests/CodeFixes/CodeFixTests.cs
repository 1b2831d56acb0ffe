extern alias generators;
extern alias codefixes;

using codefixes::Glassbox.Generators.CodeFixes;
using generators::Glassbox.Generators.Analyzers;
using Glassbox.Generators.Tests.Infrastructure;

namespace Glassbox.Generators.Tests.CodeFixes;

/// <summary>Each fix applied through an AdhocWorkspace; the result compiles and the diagnostic is gone.</summary>
public class CodeFixTests
{
    [Fact]
    public void GBX0001_ReplacesTheNameWithTheSuggestion()
    {
        const string source = """
            using Glassbox;
            public partial class Probe
            {
                [Hook("blocks.0.attn.hook_patern")] void A(ReadOnlyAttentionPattern p) { }
            }
            """;
        CodeFixHarness.Title(new UseSuggestedHookNameCodeFix(), source, "GBX0001").Should().Be("Use 'blocks.0.attn.hook_pattern'");
        var result = CodeFixHarness.Apply(new UseSuggestedHookNameCodeFix(), source, "GBX0001");
        result.Should().Be(source.Replace("hook_patern", "hook_pattern"));
        CodeFixHarness.AssertCompilesClean(result, "GBX0001");
    }

    [Fact]
    public void GBX0001_FixesANameInsideACacheList()
    {
        const string source = """
            using Glassbox;
            [CacheActivations("hook_embed", "blocks.<L>.hook_resid_postt")]
            public partial class Cache { }
            """;
        var result = CodeFixHarness.Apply(new UseSuggestedHookNameCodeFix(), source, "GBX0001");
        result.Should().Contain("\"blocks.<L>.hook_resid_post\")]");
        CodeFixHarness.AssertCompilesClean(result, "GBX0001");
    }

    [Fact]
    public void GBX0004_MakesTheTypeAndItsContainersPartial()
    {
        const string source = """
            using Glassbox;
            namespace Demo
            {
                public static class Outer
                {
                    class Middle
                    {
                        [Ablate("blocks.0.attn.hook_z")]
                        internal sealed class Probe
                        {
                            [Hook("hook_embed")] void A(ReadOnlyResidual e) { }
                        }
                    }
                }
            }
            """;
        var result = CodeFixHarness.Apply(new MakePartialCodeFix(), source, "GBX0004");
        result.Should().Be(source
            .Replace("public static class Outer", "public static partial class Outer")
            .Replace("    class Middle", "    partial class Middle")
            .Replace("internal sealed class Probe", "internal sealed partial class Probe"));
        CodeFixHarness.AssertCompilesClean(result, "GBX0004");
    }

    [Fact]
    public void GBX0004_OnATypeLevelAttribute()
    {
        const string source = """
            using Glassbox;
            [SkipLayer(1)]
            class Skip { }
            """;
        var result = CodeFixHarness.Apply(new MakePartialCodeFix(), source, "GBX0004");
        result.Should().Be(source.Replace("class Skip", "partial class Skip"));
        CodeFixHarness.AssertCompilesClean(result, "GBX0004");
    }

    [Theory]
    [InlineData("void A(ReadOnlyResidual p, int layer) { }", "void A(ReadOnlyAttentionPattern p, int layer) { }")]
    [InlineData("void A(Residual p) { }", "void A(AttentionPattern p) { }")]
    [InlineData("Residual A(Residual p) => p;", "AttentionPattern A(AttentionPattern p) => p;")]
    [InlineData("void A(float[] p) { }", "void A(ReadOnlyAttentionPattern p) { }")]
    public void GBX0003_ChangesTheFirstParameterToTheExpectedView(string before, string after)
    {
        string source = $$"""
            using Glassbox;
            public partial class Probe
            {
                [Hook("blocks.0.attn.hook_pattern")] {{before}}
            }
            """;
        var result = CodeFixHarness.Apply(new UseExpectedViewTypeCodeFix(), source, "GBX0003");
        result.Should().Be(source.Replace(before, after));
        CodeFixHarness.AssertCompilesClean(result, "GBX0003");
    }

    [Fact]
    public void GBX0003_QualifiesTheTypeWhenGlassboxIsNotImported()
    {
        const string source = """
            public partial class Probe
            {
                [Glassbox.Hook("blocks.0.hook_resid_pre")] void A(Glassbox.ReadOnlyAttentionPattern p) { }
            }
            """;
        var result = CodeFixHarness.Apply(new UseExpectedViewTypeCodeFix(), source, "GBX0003");
        result.Should().Contain("void A(Glassbox.ReadOnlyResidual p)");
        CodeFixHarness.AssertCompilesClean(result, "GBX0003");
    }

    [Fact]
    public void EveryDiagnosticHasADocPageAndARelease()
    {
        string root = RepositoryRoot();
        string releases = File.ReadAllText(Path.Combine(root, "generators", "Glassbox.Generators", "AnalyzerReleases.Unshipped.md"))
            + File.ReadAllText(Path.Combine(root, "generators", "Glassbox.Generators", "AnalyzerReleases.Shipped.md"));
        foreach (var descriptor in new HookAnalyzer().SupportedDiagnostics)
        {
            File.Exists(Path.Combine(root, "docs", "diagnostics", descriptor.Id + ".md")).Should().BeTrue($"{descriptor.Id} needs a doc page");
            releases.Should().Contain(descriptor.Id + " |");
            descriptor.HelpLinkUri.Should().Be($"docs/diagnostics/{descriptor.Id}.md");
        }
        new HookAnalyzer().SupportedDiagnostics.Select(d => d.Id).Should().OnlyHaveUniqueItems();
        new UseSuggestedHookNameCodeFix().FixableDiagnosticIds.Should().Equal("GBX0001");
        new MakePartialCodeFix().FixableDiagnosticIds.Should().Equal("GBX0004");
        new UseExpectedViewTypeCodeFix().FixableDiagnosticIds.Should().Equal("GBX0003");
    }

    static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(file)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Glassbox.Generators.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("No Glassbox.Generators.sln above " + file);
    }
}

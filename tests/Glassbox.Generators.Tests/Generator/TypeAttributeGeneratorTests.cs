using Glassbox.Generators.Tests.Infrastructure;

namespace Glassbox.Generators.Tests.Generator;

/// <summary>Snapshot tests of the files generated for [CacheActivations], [Ablate], [Patch] and [SkipLayer].</summary>
public class TypeAttributeGeneratorTests
{
    [Fact]
    public void CacheWithTypedAccessors()
    {
        var files = GeneratorHarness.Run("""
            using Glassbox;

            namespace Demo;

            [CacheActivations("blocks.<L>.hook_resid_post", "blocks.<L>.attn.hook_pattern", "hook_embed",
                "blocks.0.attn.hook_attn_scores", "blocks.-1.attn.hook_attn_scores", "blocks.x.bad", "blocks.0.hook_nope")]
            public sealed partial class ResidAndPatterns
            {
                public float Probe() => ResidPost(0)[0, 0, 0] + AttnPattern(-1)[0, 0, 0, 0] + Embed()[0, 0, 0] + AttnScores(0)[0, 0, 0, 0];
            }
            """);
        files.Keys.Should().Equal("Demo.ResidAndPatterns.Cache.g.cs");
        Snapshot.Verify(files);
    }

    [Fact]
    public void AblationsPatchesAndSkippedLayers()
    {
        var files = GeneratorHarness.Run("""
            using Glassbox;

            namespace Demo;

            [Ablate("blocks.5.attn.hook_z", Heads = new[] { 1, 5 })]
            [Ablate("blocks.2.mlp.hook_post", Neurons = new[] { 42 }, Mode = AblationMode.Mean)]
            [Ablate("blocks.<L>.attn.hook_pattern", Heads = new[] { 0 }, Positions = new[] { 3, -1 }, Mode = AblationMode.Resample)]
            [Ablate("blocks.0.hook_resid_post", Heads = new[] { 0 })]
            [SkipLayer(7)]
            [Patch("blocks.<L>.hook_resid_pre", Positions = new[] { 3 })]
            public partial class Surgery { }

            [SkipLayer(-1)]
            public partial class SkipOnly { }
            """);
        files.Keys.Order().Should().Equal("Demo.SkipOnly.Edits.g.cs", "Demo.Surgery.Edits.g.cs");
        Snapshot.Verify(files);
    }

    [Fact]
    public void HooksCacheAndEditsOnOneTypeShareOneRegistration()
    {
        var files = GeneratorHarness.Run("""
            using Glassbox;

            namespace Demo;

            [CacheActivations("blocks.<L>.hook_resid_post")]
            [SkipLayer(1)]
            public partial class Everything
            {
                [Hook("hook_embed")]
                void OnEmbed(ReadOnlyResidual embed) { }
            }

            [CacheActivations("hook_embed")]
            [Ablate("blocks.0.attn.hook_z")]
            public partial class CacheAndEdits { }
            """, """
            using Glassbox;

            namespace Demo;

            [Ablate("blocks.1.attn.hook_z")]
            public partial class CacheAndEdits { }
            """);
        files.Keys.Order().Should().Equal(
            "Demo.CacheAndEdits.Cache.g.cs", "Demo.CacheAndEdits.Edits.g.cs",
            "Demo.Everything.Cache.g.cs", "Demo.Everything.Edits.g.cs", "Demo.Everything.Hooks.g.cs");
        Snapshot.Verify(files);
    }
}

using Glassbox.Generators.Tests.Infrastructure;

namespace Glassbox.Generators.Tests.Generator;

/// <summary>Snapshot tests of the files generated for [Hook] handlers.</summary>
public class HookSetGeneratorTests
{
    [Fact]
    public void ObserversEditorsAndReplacements()
    {
        var files = GeneratorHarness.Run("""
            using Glassbox;
            using Glassbox.Hooks;
            using Glassbox.Tensors;

            namespace Demo;

            public sealed partial class InductionScores
            {
                public float[,] Scores { get; } = new float[12, 12];

                [Hook("blocks.<L>.attn.hook_pattern")]
                void OnPattern(ReadOnlyAttentionPattern pattern, int layer) => Scores[layer, 0] += pattern[0, 0, 0, 0];

                [Hook("blocks.5.attn.hook_z")]
                void KillHead(HeadVectors z) => z.Head(3).Clear();

                [Hook("blocks.-1.hook_resid_post")]
                Residual Replace(Residual resid, HookContext context) => resid;

                [Hook("blocks.{2..5}.mlp.hook_post")]
                [Hook("blocks.{1,3}.hook_mlp_out")]
                void Anything(Tensor t, HookContext context, int layer) { }

                [Hook("hook_embed")]
                void Embed(ReadOnlyTensor embed) { }

                [Hook("ln_final.hook_scale")]
                void Scale(ReadOnlyLayerNormScale scale) { }

                [Hook("unembed.hook_out")]
                Tensor Logits(Tensor logits) => logits;
            }
            """);
        files.Keys.Should().Equal("Demo.InductionScores.Hooks.g.cs");
        Snapshot.Verify(files);
    }

    [Fact]
    public void NestedGenericAndGlobalNamespaceTypes()
    {
        var files = GeneratorHarness.Run("""
            using Glassbox;

            namespace Outer.Space
            {
                public static partial class Container
                {
                    internal partial record Probe<T>
                    {
                        [Hook("blocks.0.hook_resid_pre")]
                        void Observe(ReadOnlyResidual resid) { }
                    }
                }
            }

            partial class TopLevel
            {
                [Hook("blocks.<L>.attn.hook_q")]
                void Q(ReadOnlyHeadVectors q) { }

                [Hook("hook_embed")]
                void @event(ReadOnlyResidual embed) { }
            }
            """);
        files.Keys.Order().Should().Equal("Outer.Space.Container.Probe_1.Hooks.g.cs", "TopLevel.Hooks.g.cs");
        Snapshot.Verify(files);
    }

    [Fact]
    public void HandlersFromEveryPartOfATypeShareOneFile()
    {
        var files = GeneratorHarness.Run("""
            using Glassbox;
            namespace Demo;
            public partial class Split
            {
                [Hook("blocks.0.hook_resid_pre")] void First(ReadOnlyResidual r) { }
            }
            """, """
            using Glassbox;
            namespace Demo;
            public partial class Split
            {
                [Hook("blocks.1.hook_resid_pre")] void Second(ReadOnlyResidual r) { }
            }
            """);
        files.Keys.Should().Equal("Demo.Split.Hooks.g.cs");
        files.Values.Single().Should().Contain("this.First(").And.Contain("this.Second(");
    }

    [Fact]
    public void InvalidInputIsSkippedSilently()
    {
        var files = GeneratorHarness.Run("""
            using System.Threading.Tasks;
            using Glassbox;

            namespace Demo;

            public class NotPartial
            {
                [Hook("blocks.0.hook_resid_pre")]
                void Observe(ReadOnlyResidual resid) { }
            }

            public partial class Mixed
            {
                [Hook("blocks.0.hook_resid_pre")]
                void Valid(ReadOnlyResidual resid) { }

                [Hook("blocks.0.hook_resid_pr")]
                void Unknown(ReadOnlyResidual resid) { }

                [Hook("blocks.x.hook_resid_pre")]
                void Malformed(ReadOnlyResidual resid) { }

                [Hook("blocks.0.attn.hook_pattern")]
                void WrongKind(ReadOnlyResidual resid) { }

                [Hook("blocks.0.hook_resid_pre")]
                static void Static(ReadOnlyResidual resid) { }

                [Hook("blocks.0.hook_resid_pre")]
                async Task Async(ReadOnlyResidual resid) => await Task.Yield();

                [Hook("blocks.0.hook_resid_pre")]
                void Generic<T>(ReadOnlyResidual resid) { }

                [Hook("blocks.0.hook_resid_pre")]
                ReadOnlyResidual ObserverReturning(ReadOnlyResidual resid) => resid;
            }
            """);
        files.Keys.Should().Equal("Demo.Mixed.Hooks.g.cs");
        Snapshot.Verify(files);
    }
}

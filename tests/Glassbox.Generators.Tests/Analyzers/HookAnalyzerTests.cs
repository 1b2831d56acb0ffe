using Glassbox.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Glassbox.Generators.Tests.Analyzers;

/// <summary>Every diagnostic, reported where it should be (positive) and not where it should not (negative).</summary>
public class HookAnalyzerTests
{
    const string Usings = "using Glassbox;\nusing Glassbox.Hooks;\nusing Glassbox.Tensors;\n";

    [Fact]
    public void ValidHooksOfEveryFormReportNothing()
    {
        AnalyzerHarness.Verify(Usings + """
            public partial class Outer
            {
                public sealed partial class Fine
                {
                    [Hook("blocks.<L>.attn.hook_pattern")] void A(ReadOnlyAttentionPattern p, int layer, HookContext c) { }
                    [Hook("blocks.5.attn.hook_z")] void B(HeadVectors z) { }
                    [Hook("blocks.-1.hook_resid_post")] Residual C(Residual r) => r;
                    [Hook("blocks.{2..5}.mlp.hook_post")] void D(Tensor t) { }
                    [Hook("blocks.{1,3}.mlp.hook_pre")] void E(ReadOnlyTensor t) { }
                    [Hook("hook_embed")] void F(ReadOnlyResidual e) { }
                    [Hook("ln_final.hook_scale")] void G(LayerNormScale s) { }
                    [Hook("unembed.hook_out")] Tensor H(Tensor logits) => logits;
                }
            }

            [CacheActivations("blocks.<L>.hook_resid_post", "hook_embed")]
            public partial class Cache { }

            [Ablate("blocks.5.attn.hook_z", Heads = new[] { 1, 5 })]
            [Ablate("blocks.2.mlp.hook_post", Neurons = new[] { 42 }, Positions = new[] { 0 })]
            [SkipLayer(7)]
            [Patch("blocks.<L>.hook_resid_pre", Positions = new[] { 3 })]
            public partial class Edits { }
            """);
    }

    [Fact]
    public void GBX0001_UnknownHookPointSuggestsTheNearestName()
    {
        var diagnostics = AnalyzerHarness.Verify(Usings + """
            public partial class Probe
            {
                [Hook({|GBX0001:"blocks.0.attn.hook_patern"|})] void A(ReadOnlyAttentionPattern p) { }
                [Hook({|GBX0001:"hook_resid_pre"|})] void B(ReadOnlyResidual r) { }
                [Hook({|GBX0001:"blocks.<L>.hook_embed"|})] void C(ReadOnlyResidual r) { }
                [Hook({|GBX0001:"blocks.0.completely_different_thing"|})] void D(ReadOnlyResidual r) { }
            }

            [CacheActivations("hook_embed", {|GBX0001:"blocks.<L>.hook_resid_postt"|})]
            public partial class Cache { }
            """);
        var suggestions = diagnostics.Select(d => d.Properties.TryGetValue("Suggestion", out var s) ? s : null).ToList();
        suggestions.Should().Equal("blocks.0.attn.hook_pattern", "blocks.<L>.hook_resid_pre", "hook_embed", null, "blocks.<L>.hook_resid_post");
        diagnostics[0].GetMessage().Should().Be("Unknown hook point 'blocks.0.attn.hook_patern': blocks have no hook point 'attn.hook_patern'; did you mean 'blocks.0.attn.hook_pattern'?");
        diagnostics[0].Severity.Should().Be(DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("blocks.x.hook_resid_pre", "'x' is not a layer")]
    [InlineData("blocks.{5..2}.hook_resid_pre", "is empty")]
    [InlineData("blocks.{1,1}.hook_resid_pre", "listed twice")]
    [InlineData("blocks.{1..}.hook_resid_pre", "{first..last}")]
    [InlineData("blocks.0.", "hook point after the layers is missing")]
    [InlineData("blocks.0", "needs a layer and a hook point")]
    [InlineData("blocks.05.hook_resid_pre", "is not a layer")]
    [InlineData("hook embed", "no spaces")]
    [InlineData("", "empty")]
    public void GBX0002_MalformedNamesSayWhatIsWrong(string name, string problem)
    {
        var diagnostics = AnalyzerHarness.Verify(Usings + $$"""
            public partial class Probe
            {
                [Hook({|GBX0002:"{{name}}"|})] void A(ReadOnlyResidual r) { }
            }
            """);
        diagnostics.Single().GetMessage().Should().Contain(problem);
    }

    [Fact]
    public void GBX0003_SignatureThatDoesNotFitTheKindNamesTheAcceptedTypes()
    {
        var diagnostics = AnalyzerHarness.Verify(Usings + """
            public partial class Probe
            {
                [Hook({|GBX0003:"blocks.0.attn.hook_pattern"|})] void WrongView(ReadOnlyResidual r) { }
                [Hook({|GBX0003:"blocks.0.attn.hook_z"|})] void WrongEditor(Residual r) { }
                [Hook({|GBX0003:"blocks.0.hook_resid_pre"|})] void NotAView(float[] r) { }
                [Hook({|GBX0003:"blocks.0.hook_resid_pre"|})] ReadOnlyResidual ObserverReturns(ReadOnlyResidual r) => r;
                [Hook({|GBX0003:"blocks.0.hook_resid_pre"|})] void ExtraParameter(ReadOnlyResidual r, string s) { }
                [Hook({|GBX0003:"blocks.0.hook_resid_pre"|})] void NoParameters() { }
                [Hook("blocks.0.hook_resid_pre")] void Fine(ReadOnlyResidual r, HookContext c, int layer) { }
            }
            """);
        diagnostics[0].GetMessage().Should().Be(
            "'WrongView' cannot handle 'blocks.0.attn.hook_pattern' (AttentionPattern [batch, head_index, query_pos, key_pos]): its first parameter is ReadOnlyResidual; " +
            "take ReadOnlyAttentionPattern (observer), AttentionPattern (editor, which may return a replacement AttentionPattern), ReadOnlyTensor or Tensor, optionally followed by int layer and HookContext");
        diagnostics.Select(d => d.Properties.TryGetValue("ExpectedType", out var t) ? t : null).Should().Equal(
            "Glassbox.ReadOnlyAttentionPattern", "Glassbox.HeadVectors", "Glassbox.ReadOnlyResidual", null, null, null);
    }

    [Fact]
    public void GBX0004_ContainingTypesMustBePartial()
    {
        AnalyzerHarness.Verify(Usings + """
            public class NotPartial
            {
                [Hook({|GBX0004:"hook_embed"|})] void A(ReadOnlyResidual r) { }
            }

            public class Outer
            {
                public partial class Inner
                {
                    [Hook({|GBX0004:"hook_embed"|})] void A(ReadOnlyResidual r) { }
                }
            }

            [SkipLayer({|GBX0004:1|})]
            public class Edits { }

            public partial class Fine
            {
                [Hook("hook_embed")] void A(ReadOnlyResidual r) { }
            }
            """).Select(d => d.GetMessage()).Should().Contain("'Outer' must be declared partial (with every type that contains it) so the generator can add its hook registration");
    }

    [Fact]
    public void GBX0005_LayersHeadsAndNeuronsBeyondTheDeclaredModel()
    {
        var diagnostics = AnalyzerHarness.Verify(Usings + "[assembly: GlassboxModel(Architecture.Gpt2, Layers = 12, Heads = 12, Mlp = 3072)]\n" + """
            public partial class Probe
            {
                [Hook({|GBX0005:"blocks.12.hook_resid_pre"|})] void A(ReadOnlyResidual r) { }
                [Hook({|GBX0005:"blocks.-13.hook_resid_post"|})] void B(ReadOnlyResidual r) { }
                [Hook({|GBX0005:"blocks.{10..12}.hook_mlp_out"|})] void C(ReadOnlyResidual r) { }
                [Hook("blocks.11.hook_resid_pre")] void D(ReadOnlyResidual r) { }
                [Hook("blocks.-12.hook_resid_mid")] void E(ReadOnlyResidual r) { }
                [Hook("blocks.<L>.attn.hook_v")] void F(ReadOnlyHeadVectors v) { }
            }

            [Ablate({|GBX0005:"blocks.5.attn.hook_z"|}, Heads = new[] { 12 })]
            [Ablate({|GBX0005:"blocks.2.mlp.hook_post"|}, Neurons = new[] { 3072 })]
            [Ablate("blocks.2.mlp.hook_post", Neurons = new[] { 3071 })]
            [SkipLayer({|GBX0005:12|})]
            [Patch({|GBX0005:"blocks.{-13..-1}.hook_resid_pre"|})]
            public partial class Edits { }

            [CacheActivations("blocks.<L>.hook_resid_post", {|GBX0005:"blocks.{11,12}.attn.hook_pattern"|})]
            public partial class Cache { }
            """);
        diagnostics[0].GetMessage().Should().Be("'blocks.12.hook_resid_pre': layer 12 is out of range; the declared model has 12 layers (0..11, or -12..-1 from the end; [assembly: GlassboxModel])");
    }

    [Fact]
    public void GBX0005_ConfigJsonAsAnAdditionalFileDeclaresTheModel()
    {
        const string config = """{ "model_type": "gpt2", "n_layer": 2, "n_head": 4, "n_embd": 64, "n_inner": null, "task_specific_params": { "x": [1, 2] } }""";
        AnalyzerHarness.Verify(Usings + """
            public partial class Probe
            {
                [Hook({|GBX0005:"blocks.2.hook_resid_pre"|})] void A(ReadOnlyResidual r) { }
                [Hook("blocks.1.hook_resid_pre")] void B(ReadOnlyResidual r) { }
            }

            [Ablate({|GBX0005:"blocks.0.mlp.hook_post"|}, Neurons = new[] { 256 })]
            [Ablate({|GBX0005:"blocks.0.attn.hook_pattern"|}, Heads = new[] { 4 })]
            public partial class Edits { }
            """, ("/models/gpt2-tiny/config.json", config));
    }

    [Fact]
    public void GBX0005_KeyAndValueHeadsAreTheKeyValueHeadCount()
    {
        const string config = """{ "model_type": "llama", "num_hidden_layers": 4, "num_attention_heads": 8, "num_key_value_heads": 2, "hidden_size": 256, "intermediate_size": 688 }""";
        AnalyzerHarness.Verify(Usings + """
            [Ablate({|GBX0005:"blocks.0.attn.hook_k"|}, Heads = new[] { 2 })]
            [Ablate("blocks.0.attn.hook_v", Heads = new[] { 1 })]
            [Ablate("blocks.0.attn.hook_q", Heads = new[] { 7 })]
            [Ablate({|GBX0005:"blocks.0.attn.hook_z"|}, Heads = new[] { 8 })]
            [Ablate("blocks.0.mlp.hook_pre_linear", Neurons = new[] { 687 })]
            public partial class Edits { }
            """, ("config.json", config))
            .First().GetMessage().Should().Contain("head 2 is out of range; the declared model has 2 heads here");
    }

    [Fact]
    public void GBX0006_HookPointsTheDeclaredFamilyLacks()
    {
        var diagnostics = AnalyzerHarness.Verify(Usings + "[assembly: GlassboxModel(Architecture.Llama)]\n" + """
            public partial class Probe
            {
                [Hook({|GBX0006:"hook_pos_embed"|})] void A(ReadOnlyResidual r) { }
                [Hook("blocks.<L>.attn.hook_rot_q")] void B(ReadOnlyHeadVectors q) { }
                [Hook("blocks.<L>.mlp.hook_pre_linear")] void C(ReadOnlyNeurons n) { }
            }
            """);
        diagnostics.Single().GetMessage().Should().Be("'hook_pos_embed' does not exist in Llama models: it needs PositionEmbedding");

        AnalyzerHarness.Verify(Usings + """
            public partial class Probe
            {
                [Hook("blocks.<L>.attn.hook_rot_q")] void B(ReadOnlyHeadVectors q) { }
                [Hook({|GBX0006:"blocks.<L>.hook_resid_mid"|})] void C(ReadOnlyResidual r) { }
            }
            """, ("config.json", """{"model_type": "gpt_neox", "num_hidden_layers": 6, "num_attention_heads": 8, "hidden_size": 512, "rotary_pct": 0.25}"""))
            .Should().HaveCount(1, "NeoX has rotary but, with its parallel residual, no resid_mid");

        // A TransformerLens state dict's config: attention-only, no normalization, shortformer positions.
        AnalyzerHarness.Verify(Usings + """
            public partial class Probe
            {
                [Hook("hook_pos_embed")] void A(ReadOnlyResidual r) { }
                [Hook({|GBX0006:"blocks.<L>.hook_mlp_out"|})] void B(ReadOnlyResidual r) { }
                [Hook({|GBX0006:"blocks.0.ln1.hook_scale"|})] void C(ReadOnlyLayerNormScale s) { }
                [Hook({|GBX0006:"blocks.1.hook_resid_mid"|})] void D(ReadOnlyResidual r) { }
                [Hook("blocks.1.attn.hook_pattern")] void E(ReadOnlyAttentionPattern p) { }
            }
            """, ("config.json", """{"format": "transformer_lens", "n_layers": 2, "d_model": 64, "n_heads": 4, "d_head": 16, "d_vocab": 61, "n_ctx": 32, "attn_only": true, "normalization_type": null, "positional_embedding_type": "shortformer"}"""))
            .Should().HaveCount(3, "an attention-only model without norms has no MLP, ln or resid_mid points");
    }

    [Fact]
    public void GBX0007_DuplicateHandlersForOnePoint()
    {
        AnalyzerHarness.Verify(Usings + """
            public partial class Probe
            {
                [Hook("blocks.<L>.hook_resid_pre")] void A(ReadOnlyResidual r) { }
                [Hook({|GBX0007:"blocks.<L>.hook_resid_pre"|})] void B(ReadOnlyResidual r) { }
                [Hook("blocks.{1..3}.hook_mlp_out")] void C(ReadOnlyResidual r) { }
                [Hook({|GBX0007:"blocks.{3,4}.hook_mlp_out"|})] void D(ReadOnlyResidual r) { }
                [Hook("blocks.5.hook_mlp_out")] void E(ReadOnlyResidual r) { }
                [Hook("blocks.<L>.hook_mlp_out")] void F(ReadOnlyResidual r) { }
                [Hook("hook_embed")] [Hook({|GBX0007:"hook_embed"|})] void G(ReadOnlyResidual r) { }
            }
            """).First().Severity.Should().Be(DiagnosticSeverity.Warning);
    }

    [Fact]
    public void GBX0008_UnsupportedHandlers()
    {
        var diagnostics = AnalyzerHarness.Verify("using System.Threading.Tasks;\n" + Usings + """
            public partial class Probe
            {
                [Hook({|GBX0008:"hook_embed"|})] static void Static(ReadOnlyResidual r) { }
                [Hook({|GBX0008:"hook_embed"|})] void Generic<T>(ReadOnlyResidual r) { }
                [Hook({|GBX0008:"hook_embed"|})] async Task Async(ReadOnlyResidual r) => await Task.Yield();
                float _f;
                [Hook({|GBX0008:"hook_embed"|})] ref float RefReturn(ReadOnlyResidual r) => ref _f;
            }

            public partial struct Value
            {
                [Hook({|GBX0008:"hook_embed"|})] void InStruct(ReadOnlyResidual r) { }
            }
            """);
        diagnostics.Select(d => d.GetMessage()).Should().Contain("'Async' cannot be a hook handler: it is async; hooks run synchronously inside the forward pass");
    }

    [Fact]
    public void GBX0009_AblationAxesTheHookDoesNotHave()
    {
        var diagnostics = AnalyzerHarness.Verify(Usings + """
            [Ablate({|GBX0009:"blocks.0.hook_resid_post"|}, Heads = new[] { 1 })]
            [Ablate({|GBX0009:"blocks.0.attn.hook_z"|}, Neurons = new[] { 1 })]
            [Patch({|GBX0009:"blocks.0.mlp.hook_post"|}, Heads = new[] { 1 })]
            [Ablate("blocks.0.attn.hook_pattern", Heads = new[] { 1 }, Positions = new[] { 2 })]
            [Ablate("blocks.0.mlp.hook_pre", Neurons = new[] { 1 }, Positions = new[] { 2 })]
            [Ablate("blocks.0.attn.hook_result", Heads = new[] { 1 })]
            public partial class Edits { }
            """);
        diagnostics[0].GetMessage().Should().StartWith("'blocks.0.hook_resid_post' has no head axis (its shape is [batch, pos, d_model]); heads are on");
    }

    [Fact]
    public void GBX0010_GatedPointsAreAnInfo()
    {
        AnalyzerHarness.Verify(Usings + """
            public partial class Probe
            {
                [Hook({|GBX0010:"blocks.<L>.attn.hook_result"|})] void A(ReadOnlyHeadResiduals r) { }
                [Hook({|GBX0010:"blocks.0.hook_mlp_in"|})] void B(ReadOnlyResidual r) { }
                [Hook("blocks.0.attn.hook_z")] void C(ReadOnlyHeadVectors z) { }
            }
            """).Should().OnlyContain(d => d.Severity == DiagnosticSeverity.Info);
    }

    [Fact]
    public void GBX0011_AnUnreadableModelDeclarationTurnsTheChecksOff()
    {
        const string source = Usings + """
            public partial class Probe
            {
                [Hook("blocks.99.hook_resid_pre")] void A(ReadOnlyResidual r) { }
            }
            """;
        AnalyzerHarness.Analyze(source, ("config.json", "{ \"model_type\": \"gpt2\", ")).Select(d => d.Id).Should().Equal("GBX0011");
        AnalyzerHarness.Analyze(source, ("config.json", "{ \"model_type\": \"bert\" }")).Single().GetMessage().Should().Contain("model_type 'bert'");
        AnalyzerHarness.Analyze(source, ("notes.json", "not json")).Should().BeEmpty("only config.json declares a model");
    }
}

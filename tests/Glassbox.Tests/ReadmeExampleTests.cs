using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests;

/// <summary>The README's example, run as written (with the model path made absolute).</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void TheReadmeExampleRunsAndAblationChangesTheLoss()
    {
        var model = HookedTransformer.FromPretrained(SharedFiles.Models("gpt2-mini"));
        var tokens = IntTensor.FromSequence(697, 263, 1198, 1001);

        var (logits, cache) = model.RunWithCache(tokens, "blocks.*.attn.hook_pattern");
        using (cache)
        {
            Tensor pattern = cache["pattern", 1];
            pattern.Shape.ToArray().Should().Equal(1, 4, 4, 4);
            cache.Count.Should().Be(4);
            cache.SizeInBytes.Should().Be(4 * 64 * sizeof(float));
        }
        logits.Shape.ToArray().Should().Equal(1, 4, 4096);

        using var clean = model.Forward(tokens, new ForwardOptions { Return = ReturnType.Loss });
        using (model.Hooks(("blocks.1.attn.hook_z", Hook.Of(z =>
        {
            for (int b = 0; b < z.Dim(0); b++)
                for (int p = 0; p < z.Dim(1); p++) z[b][p][2].Clear();
        }))))
        {
            using var ablated = model.Forward(tokens, new ForwardOptions { Return = ReturnType.Loss });
            ablated.Loss.Should().NotBe(clean.Loss);
        }
        model.HookCount.Should().Be(0);
    }
}

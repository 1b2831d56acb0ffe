extern alias generators;

using generators::Glassbox.Generators.Parsing;

namespace Glassbox.Generators.Tests;

/// <summary>The names the generator looks for are the runtime's types.</summary>
public class KnownNamesTests
{
    [Fact]
    public void AttributeAndViewNamesMatchTheRuntime()
    {
        KnownNames.HookAttribute.Should().Be(typeof(Glassbox.HookAttribute).FullName);
        KnownNames.CacheActivationsAttribute.Should().Be(typeof(Glassbox.CacheActivationsAttribute).FullName);
        KnownNames.AblateAttribute.Should().Be(typeof(Glassbox.AblateAttribute).FullName);
        KnownNames.PatchAttribute.Should().Be(typeof(Glassbox.PatchAttribute).FullName);
        KnownNames.SkipLayerAttribute.Should().Be(typeof(Glassbox.SkipLayerAttribute).FullName);
        KnownNames.GlassboxModelAttribute.Should().Be(typeof(Glassbox.GlassboxModelAttribute).FullName);
        ViewTypes.TensorName.Should().Be(typeof(Glassbox.Tensors.Tensor).FullName);
        ViewTypes.ReadOnlyTensorName.Should().Be(typeof(Glassbox.ReadOnlyTensor).FullName);
        ViewTypes.HookContextName.Should().Be(typeof(Glassbox.Hooks.HookContext).FullName);
        foreach (var name in new[] { "Residual", "LayerNormScale", "HeadVectors", "HeadResiduals", "AttentionScores", "AttentionPattern", "Neurons", "Logits" })
        {
            typeof(Glassbox.IHookSet).Assembly.GetType("Glassbox." + name).Should().NotBeNull(name);
            typeof(Glassbox.IHookSet).Assembly.GetType("Glassbox.ReadOnly" + name).Should().NotBeNull("ReadOnly" + name);
            ViewTypes.Find("Glassbox." + name)!.IsReadOnly.Should().BeFalse();
            ViewTypes.Find("Glassbox.ReadOnly" + name)!.IsReadOnly.Should().BeTrue();
        }
        typeof(Glassbox.AblationMode).GetEnumNames().Should().Equal("Zero", "Mean", "Resample");
        typeof(Glassbox.AxisRole).GetEnumNames().Should().Equal("Head", "Neuron", "Position");
    }
}

using Glassbox.Cli;
using Glassbox.Models;

namespace Glassbox.Tests.Cli;

public class ComponentListParserTests
{
    static readonly ModelConfig Gpt2Tiny = ModelConfig.Presets["gpt2-tiny"];

    [Fact]
    public void HeadsInBothSpellingsWithoutDuplicates()
    {
        var heads = ComponentListParser.Heads(" 1.1, L0H0 ,l1h0,1.1", Gpt2Tiny);
        heads.All.Should().BeFalse();
        heads.Listed.Should().Equal(new HeadRef(1, 1), new HeadRef(0, 0), new HeadRef(1, 0));
        heads.Listed[0].ToString().Should().Be("L1H1");
        ComponentListParser.Heads("ALL", Gpt2Tiny).All.Should().BeTrue();
    }

    [Fact]
    public void NeuronsStartALayerWithItsNumberAndAColon()
    {
        var (swept, listed) = ComponentListParser.Neurons("0:5,7;1:3, 9,0:all", Gpt2Tiny);
        listed.Should().Equal(new NeuronRef(0, 5), new NeuronRef(0, 7), new NeuronRef(1, 3), new NeuronRef(1, 9));
        swept.Should().Equal(0);
        listed[0].ToString().Should().Be("L0N5");
    }

    [Fact]
    public void Layers()
    {
        ComponentListParser.Layers("1,0,1", Gpt2Tiny).Listed.Should().Equal(1, 0);
        ComponentListParser.Layers("all", Gpt2Tiny).All.Should().BeTrue();
    }

    [Theory]
    [InlineData("heads", "", "--heads is empty")]
    [InlineData("heads", "1.1.1", "'1.1.1' is not a head")]
    [InlineData("heads", "-1.0", "'-1.0' is not a head")]
    [InlineData("heads", "99999999999.0", "is outside 0..1")]
    [InlineData("heads", "0.٣", "'0.٣' is not a head")]
    [InlineData("neurons", "all", "'all' has no layer")]
    [InlineData("neurons", "0:", "'0:' is not a neuron")]
    [InlineData("neurons", "0:5,,6", "empty entry")]
    [InlineData("layers", "2", "layer 2 (in '2') is outside 0..1")]
    [InlineData("layers", "0-1", "'0-1' is not a layer")]
    public void ErrorsNameTheEntry(string kind, string text, string expected)
    {
        Action act = kind switch
        {
            "heads" => () => ComponentListParser.Heads(text, Gpt2Tiny),
            "neurons" => () => ComponentListParser.Neurons(text, Gpt2Tiny),
            _ => () => ComponentListParser.Layers(text, Gpt2Tiny),
        };
        act.Should().Throw<UsageException>().Which.Message.Should().Contain(expected);
    }
}

using Glassbox.Cli;

namespace Glassbox.Tests.Cli;

public class TokenListParserTests
{
    [Fact]
    public void ParsesOneSequenceAndABatch()
    {
        TokenListParser.Parse("1,2,3").Should().ContainSingle().Which.Should().Equal(1, 2, 3);
        var rows = TokenListParser.Parse(" 1, 2 ,3 ; 4,5,6 ");
        rows.Should().HaveCount(2);
        rows[1].Should().Equal(4, 5, 6);
        TokenListParser.ToTensor(rows).Shape.ToArray().Should().Equal(2, 3);
        TokenListParser.Parse("0").Single().Should().Equal(0);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("  ", "empty")]
    [InlineData("1,2;", "sequence 1 is empty")]
    [InlineData(";1,2", "sequence 0 is empty")]
    [InlineData("1,,2", "empty token at position 1")]
    [InlineData("1,-2", "'-2' (sequence 0, position 1)")]
    [InlineData("1,2;3,x", "'x' (sequence 1, position 1)")]
    [InlineData("1.5", "'1.5'")]
    [InlineData("99999999999", "'99999999999'")]
    [InlineData("1,2;3", "sequence 1 has 1 tokens but sequence 0 has 2")]
    public void ErrorsNameTheBadToken(string text, string expected)
    {
        var act = () => TokenListParser.Parse(text);
        act.Should().Throw<UsageException>().Which.Message.Should().StartWith("--tokens").And.Contain(expected);
    }
}

using Glassbox.Visualization;

namespace Glassbox.Tests.Visualization;

public class ScaleAndFormatTests
{
    static readonly Rgb White = new(255, 255, 255);

    [Fact]
    public void DivergingIsWhiteAtZeroBlueBelowRedAboveAndSymmetric()
    {
        var scale = ColorScale.Diverging(2);
        scale.Min.Should().Be(-2);
        scale.Max.Should().Be(2);
        scale.ColorOf(0).Should().Be(White);
        var low = scale.ColorOf(-2)!.Value;
        var high = scale.ColorOf(2)!.Value;
        low.Should().Be(scale.Stops[0].Color);
        high.Should().Be(scale.Stops[^1].Color);
        low.B.Should().BeGreaterThan(low.R, "negative is blue");
        high.R.Should().BeGreaterThan(high.B, "positive is red");
        scale.ColorOf(-100).Should().Be(low, "values beyond the range take the end colour");
        scale.ColorOf(1)!.Value.Luminance.Should().BeApproximately(scale.ColorOf(-1)!.Value.Luminance, 0.12, "equal magnitudes look about equally strong");
        scale.ColorOf(0.5f)!.Value.Luminance.Should().BeGreaterThan(scale.ColorOf(1.5f)!.Value.Luminance);
    }

    [Fact]
    public void SequentialRunsFromWhiteToDark()
    {
        var scale = ColorScale.Sequential(0, 1);
        scale.ColorOf(0).Should().Be(White);
        scale.ColorOf(1).Should().Be(scale.Stops[^1].Color);
        scale.ColorOf(1)!.Value.Luminance.Should().BeLessThan(0.1);
        var steps = Enumerable.Range(0, 11).Select(i => scale.ColorOf(i / 10f)!.Value.Luminance).ToList();
        steps.Should().BeInDescendingOrder("darker means more");
    }

    [Fact]
    public void NonFiniteValuesHaveNoColour()
    {
        var scale = ColorScale.Sequential(0, 1);
        scale.ColorOf(float.NaN).Should().BeNull();
        scale.ColorOf(float.NegativeInfinity).Should().BeNull();
        scale.ColorOf(float.PositiveInfinity).Should().BeNull();
    }

    [Fact]
    public void AutoPicksDivergingForSignedDataAndSequentialFromZeroOtherwise()
    {
        var signed = ColorScale.Auto([-0.5f, 3f, float.NegativeInfinity, float.NaN]);
        signed.Kind.Should().Be(ColorScaleKind.Diverging);
        (signed.Min, signed.Max).Should().Be((-3f, 3f));

        var positive = ColorScale.Auto([0.2f, 0.9f, float.NaN]);
        positive.Kind.Should().Be(ColorScaleKind.Sequential);
        (positive.Min, positive.Max).Should().Be((0f, 0.9f));

        var constant = ColorScale.Auto([0f, 0f]);
        (constant.Min, constant.Max).Should().Be((0f, 1f), "a constant table still gets a usable range");
        ColorScale.Diverging().Resolve([0f]).Max.Should().Be(1f);
    }

    [Fact]
    public void ScalesWithoutARangeRefuseToColourAndBadRangesAreRefused()
    {
        var unresolved = ColorScale.Diverging();
        unresolved.IsResolved.Should().BeFalse();
        unresolved.Invoking(s => s.ColorOf(1)).Should().Throw<InvalidOperationException>().WithMessage("*Resolve*");
        FluentActions.Invoking(() => ColorScale.Sequential(1, 1)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => ColorScale.Diverging(-1)).Should().Throw<ArgumentOutOfRangeException>();
        Rgb.Parse("#0a0B0c").Should().Be(new Rgb(10, 11, 12));
        new Rgb(10, 11, 12).Hex.Should().Be("#0a0b0c");
    }

    [Theory]
    [InlineData(0.823456f, "0.8235")]
    [InlineData(-1.5f, "-1.5")]
    [InlineData(12345.6f, "12346")]
    [InlineData(1234567f, "1.235e6")]
    [InlineData(0.0000123f, "1.23e-5")]
    [InlineData(0f, "0")]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.NegativeInfinity, "masked (-inf)")]
    [InlineData(float.PositiveInfinity, "+inf")]
    public void HoverNumbersHaveFourSignificantDigitsAndWordsForNonFinite(float value, string expected) =>
        NumberFormat.Hover(value).Should().Be(expected);

    [Fact]
    public void TablesShareOneNumberOfDecimals()
    {
        NumberFormat.TableDecimals([10.4f, -0.03f]).Should().Be(1);
        NumberFormat.TableDecimals([0.95f, 0.001f, float.NaN]).Should().Be(3);
        NumberFormat.TableDecimals([float.NaN]).Should().Be(0);
        NumberFormat.Fixed(-0.01, 1).Should().Be("0.0", "no negative zero");
        NumberFormat.Fixed(2.26, 1).Should().Be("2.3");
    }

    [Fact]
    public void TicksAreNiceAndCoverTheRangeWithZero()
    {
        AxisTicks.NiceStep(0, 1, 5).Step.Should().BeApproximately(0.2, 1e-12);
        AxisTicks.NiceStep(0, 1, 5).Decimals.Should().Be(1);
        AxisTicks.NiceStep(0, 100, 5).Should().Be((20, 0));
        AxisTicks.NiceStep(-0.013, 0.017, 5).Step.Should().BeApproximately(0.005, 1e-12);
        AxisTicks.NiceStep(-0.013, 0.017, 5).Decimals.Should().Be(3);
        var (min, max, ticks, decimals) = AxisTicks.ValueAxis(-1.91, 9.32);
        min.Should().BeLessThanOrEqualTo(-1.91);
        max.Should().BeGreaterThanOrEqualTo(9.32);
        ticks.Should().Contain(0).And.BeInAscendingOrder();
        decimals.Should().Be(0);
        AxisTicks.ValueAxis(3, 5).Min.Should().Be(0, "bars start at zero");
        AxisTicks.ValueAxis(3, 5, includeZero: false).Min.Should().BeGreaterThan(0);
        AxisTicks.ValueAxis(2, 2, includeZero: false).Max.Should().BeGreaterThan(2, "a constant series still gets a span");
    }

    [Theory]
    [InlineData(20, 10, 1)]
    [InlineData(4, 13, 5)]
    [InlineData(3, 13, 5)]
    [InlineData(1, 13, 20)]
    public void LabelStridesAreNiceNumbers(double spacing, double labelExtent, int stride) =>
        AxisTicks.Stride(spacing, labelExtent).Should().Be(stride);
}

extern alias generators;

using FsCheck;
using FsCheck.Fluent;
using generators::Glassbox.Generators.Models;
using generators::Glassbox.Generators.Parsing;
using Catalog = generators::Glassbox.Hooks.HookCatalog;

namespace Glassbox.Generators.Tests.Parsing;

/// <summary>Properties of the compile-time hook-name parser (FsCheck, driven from plain xunit tests).</summary>
public class HookNameParserProperties
{
    static readonly Gen<int> Layer = Gen.Choose(-24, 24);

    /// <summary>A valid name, the catalog entry it names and the layers it selects.</summary>
    static Gen<(string Name, int Index, LayerSpec Layers)> ValidName() =>
        from index in Gen.Choose(0, Catalog.All.Count - 1)
        from form in Gen.Choose(0, 3)
        from a in Layer
        from b in Layer
        from list in Layer.ArrayOf().Select(l => l.Distinct().ToArray()).Where(l => l.Length > 0)
        let spec = Catalog.All[index]
        let first = Math.Min(a, b)
        let last = Math.Max(a, b)
        select !spec.InBlock
            ? (spec.Name, index, LayerSpec.ModelWide)
            : form switch
            {
                0 => ($"blocks.<L>.{spec.Name}", index, LayerSpec.All),
                1 => ($"blocks.{a}.{spec.Name}", index, LayerSpec.List(a)),
                2 => ($"blocks.{{{first}..{last}}}.{spec.Name}", index, LayerSpec.Range(first, last)),
                _ => ($"blocks.{{{string.Join(",", list)}}}.{spec.Name}", index, LayerSpec.List(list)),
            };

    [Fact]
    public void ValidNamesParseToTheirCatalogEntryAndLayers()
    {
        Prop.ForAll(ValidName().ToArbitrary(), t =>
        {
            var parsed = HookNameParser.Parse(t.Name);
            parsed.IsValid.Should().BeTrue($"{t.Name}: {parsed.Problem}");
            parsed.CatalogIndex.Should().Be(t.Index);
            parsed.Layers.Should().Be(t.Layers);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AnyTextParsesWithoutThrowingAndEverySuggestionIsValid()
    {
        var alphabet = "blocks.<L>{}0123456789-,.hook_attnmlpresidprepostqkvz ".ToCharArray();
        var text = Gen.Elements(alphabet).ArrayOf().Select(c => new string(c));
        Prop.ForAll(text.ToArbitrary(), s => Check(s)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void OneEditAwayFromAValidNameIsValidOrHasAValidSuggestion()
    {
        var edited =
            from valid in ValidName()
            from position in Gen.Choose(0, valid.Name.Length - 1)
            from kind in Gen.Choose(0, 2)
            from c in Gen.Elements("abcdefghijklmnopqrstuvwxyz_.0123456789".ToCharArray())
            select kind switch
            {
                0 => valid.Name.Remove(position, 1),
                1 => valid.Name.Insert(position, c.ToString()),
                _ => valid.Name.Remove(position, 1).Insert(position, c.ToString()),
            };
        Prop.ForAll(edited.ToArbitrary(), s => Check(s)).QuickCheckThrowOnFailure();
    }

    static void Check(string text)
    {
        var parsed = HookNameParser.Parse(text);
        if (parsed.IsValid)
        {
            parsed.Spec.Should().NotBeNull();
            return;
        }
        parsed.Problem.Should().NotBeNullOrEmpty();
        if (parsed.Suggestion is { } suggestion)
            HookNameParser.Parse(suggestion).IsValid.Should().BeTrue($"the suggestion '{suggestion}' for '{text}' must itself be valid");
    }

    [Theory]
    [InlineData("blocks.{-3..-1}.hook_resid_pre", true)]
    [InlineData("blocks.{-1..-3}.hook_resid_pre", false)]
    [InlineData("blocks.{2..-1}.hook_resid_pre", true)]
    [InlineData("blocks.-0.hook_resid_pre", false)]
    [InlineData("blocks.+1.hook_resid_pre", false)]
    [InlineData("blocks.{}.hook_resid_pre", false)]
    [InlineData("blocks.{1,}.hook_resid_pre", false)]
    [InlineData("blocks.<l>.hook_resid_pre", false)]
    public void EdgeCases(string name, bool valid) => HookNameParser.Parse(name).IsValid.Should().Be(valid);
}

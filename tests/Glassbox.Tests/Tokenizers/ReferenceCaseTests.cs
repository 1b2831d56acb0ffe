using Glassbox.Tokenizers;

namespace Glassbox.Tests.Tokenizers;

/// <summary>
/// Every reference case of every tokenizer folder, one test row per folder and case index: the ids the
/// original implementations produce, without and with special tokens (see each folder's README).
/// </summary>
public class ReferenceCaseTests
{
    public static IEnumerable<object[]> Rows() =>
        from folder in TokenizerFixtures.Folders
        from index in Enumerable.Range(0, TokenizerFixtures.Cases(folder).Length)
        select new object[] { folder, index };

    public static IEnumerable<object[]> Qwen3Rows() =>
        Enumerable.Range(0, TokenizerFixtures.Cases(TokenizerFixtures.Qwen3).Length).Select(i => new object[] { TokenizerFixtures.Qwen3, i });

    [Theory]
    [MemberData(nameof(Rows))]
    public void Ids(string folder, int index) => Check(folder, index, withSpecial: false);

    [Theory]
    [MemberData(nameof(Rows))]
    public void IdsWithSpecial(string folder, int index) => Check(folder, index, withSpecial: true);

    [Qwen3Theory]
    [MemberData(nameof(Qwen3Rows))]
    public void Qwen3Ids(string folder, int index)
    {
        Check(folder, index, withSpecial: false);
        Check(folder, index, withSpecial: true);
    }

    private static void Check(string folder, int index, bool withSpecial)
    {
        TokenizerCase c = TokenizerFixtures.Cases(folder)[index];
        int[] expected = withSpecial ? c.IdsWithSpecial : c.Ids;
        IReadOnlyList<int> actual = withSpecial ? TokenizerFixtures.EncodeWithSpecial(folder, c.Text) : TokenizerFixtures.EncodePlain(folder, c.Text);
        ITokenizer tokenizer = TokenizerFixtures.Tokenizer(folder);
        actual.Should().Equal(expected,
            $"case {index} {Escape(c.Text)} should encode as the reference does; got [{Pieces(tokenizer, actual)}], expected [{Pieces(tokenizer, expected)}]");
    }

    private static string Pieces(ITokenizer tokenizer, IEnumerable<int> ids) =>
        string.Join(", ", ids.Select(id => $"{id}:{Escape(tokenizer.IdToToken(id))}"));

    internal static string Escape(string s) =>
        "\"" + string.Concat(s.Select(ch => ch < ' ' || ch is >= '\u007f' and <= '\u00a0' || char.IsSurrogate(ch) || ch == '\ufeff' ? $"\\u{(int)ch:x4}" : ch.ToString())) + "\"";
}

using FsCheck;
using FsCheck.Fluent;
using Glassbox.Tokenizers;

namespace Glassbox.Tests.Tokenizers;

/// <summary>
/// The priority-queue merge loop gives exactly what the textbook loop gives (rescan every adjacent pair,
/// merge the best, leftmost on ties, repeat) for random merge tables with tied priorities.
/// </summary>
public class BpeMergerProperties
{
    private sealed record Case(Dictionary<(int, int), (int Priority, int Merged)> Table, int[] Symbols)
    {
        public override string ToString() =>
            $"symbols [{string.Join(",", Symbols)}], merges {string.Join("; ", Table.Select(kv => $"{kv.Key}->{kv.Value.Merged}@{kv.Value.Priority}"))}";
    }

    private readonly struct TableMerges(Dictionary<(int, int), (int Priority, int Merged)> table) : IPairMerges
    {
        public bool TryGetMerge(int left, int right, out double priority, out int merged)
        {
            bool found = table.TryGetValue((left, right), out var m);
            priority = m.Priority;
            merged = m.Merged;
            return found;
        }
    }

    private static Gen<Case> Cases() =>
        from seed in Gen.Choose(0, int.MaxValue)
        from length in Gen.Choose(0, 60)
        select Build(seed, length);

    private static Case Build(int seed, int length)
    {
        var rng = new Random(seed);
        const int baseSymbols = 4;
        int next = baseSymbols;
        var table = new Dictionary<(int, int), (int, int)>();
        int merges = rng.Next(0, 20);
        for (int k = 0; k < merges; k++)
        {
            var pair = (rng.Next(next), rng.Next(next));
            if (!table.ContainsKey(pair)) table[pair] = (rng.Next(6), next++);
        }
        return new Case(table, Enumerable.Range(0, length).Select(_ => rng.Next(baseSymbols)).ToArray());
    }

    private static List<int> Naive(Case c)
    {
        var symbols = c.Symbols.ToList();
        while (true)
        {
            int best = -1, bestPriority = int.MaxValue, merged = 0;
            for (int i = 0; i + 1 < symbols.Count; i++)
            {
                if (c.Table.TryGetValue((symbols[i], symbols[i + 1]), out var m) && m.Priority < bestPriority)
                    (best, bestPriority, merged) = (i, m.Priority, m.Merged);
            }
            if (best < 0) return symbols;
            symbols[best] = merged;
            symbols.RemoveAt(best + 1);
        }
    }

    [Fact]
    public void Merges_like_the_rescanning_loop()
    {
        Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            var output = new List<int>();
            BpeMerger.ForCurrentThread.Merge(c.Symbols, new TableMerges(c.Table), output);
            output.Should().Equal(Naive(c));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Long_words_merge_without_rescanning()
    {
        // 50,000 symbols of one letter that pair up level by level: n log n work, not n².
        var table = new Dictionary<(int, int), (int, int)>();
        for (int level = 0; level < 20; level++) table[(level, level)] = (level, level + 1);
        var output = new List<int>();
        BpeMerger.ForCurrentThread.Merge(new int[50_000], new TableMerges(table), output);
        output.Sum(id => 1L << id).Should().Be(50_000);
    }
}

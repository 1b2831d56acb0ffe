namespace Glassbox.Tokenizers;

/// <summary>The merge rules a <see cref="BpeMerger"/> applies: which adjacent pairs merge, into what, and how urgently.</summary>
internal interface IPairMerges
{
    /// <summary>
    /// Whether the pair (<paramref name="left"/>, <paramref name="right"/>) merges; if so, into which id, with which
    /// priority (lower merges first; equal priorities merge leftmost first).
    /// </summary>
    bool TryGetMerge(int left, int right, out double priority, out int merged);
}

/// <summary>
/// The BPE merge loop: repeatedly merges the adjacent pair with the lowest priority (leftmost on ties) until no
/// pair merges. Symbols live in a doubly linked list and candidate pairs in a priority queue whose stale entries
/// are skipped when popped, so a word of n symbols costs O(n log n), not the O(n²) of rescanning every pair after
/// each merge. Popping the best live pair each time gives exactly the rescanning algorithm's result.
/// One instance per thread (<see cref="ForCurrentThread"/>); it keeps its buffers between words.
/// </summary>
internal sealed class BpeMerger
{
    [ThreadStatic]
    private static BpeMerger? current;

    private readonly PriorityQueue<Candidate, Key> queue = new();
    private int[] ids = new int[64];
    private int[] prev = new int[64];
    private int[] next = new int[64];
    private bool[] alive = new bool[64];

    public static BpeMerger ForCurrentThread => current ??= new BpeMerger();

    /// <summary>Merges <paramref name="symbols"/> under <paramref name="rules"/> and appends the result to <paramref name="output"/>.</summary>
    public void Merge<TRules>(ReadOnlySpan<int> symbols, TRules rules, List<int> output)
        where TRules : IPairMerges
    {
        int count = symbols.Length;
        if (count < 2)
        {
            if (count == 1) output.Add(symbols[0]);
            return;
        }
        EnsureCapacity(count);
        for (int k = 0; k < count; k++)
        {
            ids[k] = symbols[k];
            prev[k] = k - 1;
            next[k] = k + 1 < count ? k + 1 : -1;
            alive[k] = true;
        }

        queue.Clear();
        for (int k = 0; k + 1 < count; k++) Offer(k, k + 1, rules);

        while (queue.TryDequeue(out Candidate top, out _))
        {
            int pos = top.Position;
            if (!alive[pos]) continue;
            int right = next[pos];
            // A stale entry: one of the two symbols has merged since. A symbol's id changes exactly when it
            // absorbs its right neighbour, so equal ids mean the same two symbols are still side by side.
            if (right < 0 || ids[pos] != top.Left || ids[right] != top.Right) continue;

            ids[pos] = top.Merged;
            alive[right] = false;
            int after = next[right];
            next[pos] = after;
            if (after >= 0) prev[after] = pos;

            if (prev[pos] >= 0) Offer(prev[pos], pos, rules);
            if (after >= 0) Offer(pos, after, rules);
        }

        for (int k = 0; k >= 0; k = next[k]) output.Add(ids[k]);
    }

    private void Offer<TRules>(int left, int right, TRules rules)
        where TRules : IPairMerges
    {
        if (rules.TryGetMerge(ids[left], ids[right], out double priority, out int merged))
        {
            queue.Enqueue(new Candidate(left, ids[left], ids[right], merged), new Key(priority, left));
        }
    }

    private void EnsureCapacity(int count)
    {
        if (ids.Length >= count) return;
        int size = Math.Max(count, ids.Length * 2);
        ids = new int[size];
        prev = new int[size];
        next = new int[size];
        alive = new bool[size];
    }

    private readonly record struct Candidate(int Position, int Left, int Right, int Merged);

    private readonly record struct Key(double Priority, int Position) : IComparable<Key>
    {
        public int CompareTo(Key other)
        {
            int c = Priority.CompareTo(other.Priority);
            return c != 0 ? c : Position.CompareTo(other.Position);
        }
    }
}

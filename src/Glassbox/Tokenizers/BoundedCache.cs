namespace Glassbox.Tokenizers;

/// <summary>
/// A thread-safe string-keyed cache that forgets everything when it reaches its capacity (cheaper than LRU
/// bookkeeping, and a tokenizer's working set of words refills quickly). Look-ups by span do not allocate.
/// </summary>
internal sealed class BoundedCache<TValue>
{
    private readonly Dictionary<string, TValue> map;
    private readonly Dictionary<string, TValue>.AlternateLookup<ReadOnlySpan<char>> bySpan;
    private readonly int capacity;
    private readonly Lock gate = new();

    public BoundedCache(int capacity)
    {
        this.capacity = capacity;
        map = new Dictionary<string, TValue>(StringComparer.Ordinal);
        bySpan = map.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public bool TryGet(ReadOnlySpan<char> key, out TValue value)
    {
        lock (gate)
        {
            return bySpan.TryGetValue(key, out value!);
        }
    }

    public void Add(ReadOnlySpan<char> key, TValue value)
    {
        lock (gate)
        {
            if (map.Count >= capacity) map.Clear();
            bySpan[key] = value;
        }
    }
}

using System.Collections.Concurrent;

namespace Glassbox.Tensors;

/// <summary>
/// Reuses float buffers by exact length. Activations have the same sizes run after run, and first
/// touch of fresh memory is slow on these machines, so a forward pass rents its buffers here and
/// returns them when it ends. Thread-safe; keeps at most <see cref="MaxRetainedBytes"/>.
/// </summary>
public sealed class TensorPool
{
    readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> _free = new();
    long _retainedBytes;

    public TensorPool(long maxRetainedBytes = 2L << 30) => MaxRetainedBytes = maxRetainedBytes;

    public long MaxRetainedBytes { get; }
    public long RetainedBytes => Interlocked.Read(ref _retainedBytes);

    /// <summary>A tensor whose buffer comes from the pool; its contents are undefined unless <paramref name="clear"/>.</summary>
    public Tensor Rent(ReadOnlySpan<int> shape, bool clear = false)
    {
        int length = Tensor.ShapeLength(shape);
        float[]? buffer = null;
        if (_free.TryGetValue(length, out var bag) && bag.TryTake(out buffer))
        {
            Interlocked.Add(ref _retainedBytes, -(long)length * sizeof(float));
            if (clear) Array.Clear(buffer);
        }
        buffer ??= clear ? new float[length] : GC.AllocateUninitializedArray<float>(length);
        return Tensor.Pooled(buffer, shape.ToArray(), this);
    }

    internal void Return(float[] buffer)
    {
        long bytes = (long)buffer.Length * sizeof(float);
        if (Interlocked.Add(ref _retainedBytes, bytes) > MaxRetainedBytes)
        {
            Interlocked.Add(ref _retainedBytes, -bytes);
            return;
        }
        _free.GetOrAdd(buffer.Length, _ => new ConcurrentBag<float[]>()).Add(buffer);
    }

    /// <summary>Drops every retained buffer.</summary>
    public void Trim()
    {
        _free.Clear();
        Interlocked.Exchange(ref _retainedBytes, 0);
    }
}

namespace Glassbox.Tensors;

/// <summary>
/// The buffers one forward pass rents. Everything still held when the arena is disposed goes back
/// to the pool; what the caller keeps (logits, a cache) is <see cref="Detach"/>ed first.
/// </summary>
internal sealed class TensorArena(TensorPool pool) : IDisposable
{
    readonly List<Tensor> _rented = [];

    public TensorPool Pool => pool;

    public Tensor Rent(ReadOnlySpan<int> shape, bool clear = false)
    {
        var t = pool.Rent(shape, clear);
        _rented.Add(t);
        return t;
    }

    public Tensor Rent(int d0, int d1, bool clear = false) => Rent([d0, d1], clear);
    public Tensor Rent(int d0, int d1, int d2, bool clear = false) => Rent([d0, d1, d2], clear);
    public Tensor Rent(int d0, int d1, int d2, int d3, bool clear = false) => Rent([d0, d1, d2, d3], clear);

    /// <summary>The caller takes ownership of <paramref name="tensor"/>; the arena will not return it.</summary>
    public Tensor Detach(Tensor tensor)
    {
        _rented.Remove(tensor);
        return tensor;
    }

    /// <summary>How many tensors are rented so far; pass to <see cref="ReleaseSince"/>.</summary>
    public int Mark => _rented.Count;

    /// <summary>Returns every tensor rented after <paramref name="mark"/> except <paramref name="keep"/>.</summary>
    public void ReleaseSince(int mark, Tensor keep)
    {
        for (int i = _rented.Count - 1; i >= mark; i--)
        {
            if (ReferenceEquals(_rented[i], keep)) continue;
            _rented[i].Dispose();
            _rented.RemoveAt(i);
        }
    }

    /// <summary>Returns one tensor early; a no-op for tensors the arena does not hold.</summary>
    public void Release(Tensor tensor)
    {
        if (_rented.Remove(tensor)) tensor.Dispose();
    }

    public void Dispose()
    {
        foreach (var t in _rented) t.Dispose();
        _rented.Clear();
    }
}

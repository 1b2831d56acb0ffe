using System.Buffers;
using System.Runtime.InteropServices;

namespace Glassbox.Export;

/// <summary>
/// Exposes the bytes of a <see cref="ReadOnlyMemory{T}"/> as <see cref="Memory{T}"/> of bytes without
/// copying, so that writing a large float tensor does not duplicate it first.
/// </summary>
internal sealed unsafe class ByteViewMemoryManager<T> : MemoryManager<byte> where T : unmanaged
{
    private readonly ReadOnlyMemory<T> _source;
    private readonly Stack<MemoryHandle> _pins = new();

    public ByteViewMemoryManager(ReadOnlyMemory<T> source) => _source = source;

    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(MemoryMarshal.AsMemory(_source).Span);

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, _source.Length * sizeof(T));
        MemoryHandle inner = MemoryMarshal.AsMemory(_source).Pin();
        lock (_pins) _pins.Push(inner);
        return new MemoryHandle((byte*)inner.Pointer + elementIndex, default, this);
    }

    // Every pin pins the same source, so releasing any one inner handle balances one Pin.
    public override void Unpin()
    {
        MemoryHandle inner;
        lock (_pins) inner = _pins.Pop();
        inner.Dispose();
    }

    protected override void Dispose(bool disposing)
    {
    }
}

using Glassbox.Tensors;

namespace Glassbox.Analysis;

/// <summary>One recorded activation: which sequence of the dataset, which position, which token.</summary>
public readonly record struct LatentExample(float Value, long Sequence, int Position, int Token);

/// <summary>
/// Tracks, over a dataset of any size, the top-k activating tokens of each latent (or neuron), plus
/// how often each fires and its mean — in memory bounded by latents × k, whatever the dataset.
/// </summary>
public sealed class LatentTracker
{
    readonly PriorityQueue<LatentExample, float>[] _top;
    readonly long[] _fired;
    readonly double[] _sum;
    long _sequences;
    long _rows;

    public LatentTracker(int latents, int topK = 10)
    {
        if (latents <= 0 || topK <= 0) throw new ArgumentOutOfRangeException(nameof(latents), "latents and topK must be positive.");
        Latents = latents;
        TopK = topK;
        _top = Enumerable.Range(0, latents).Select(_ => new PriorityQueue<LatentExample, float>()).ToArray();
        _fired = new long[latents];
        _sum = new double[latents];
    }

    public int Latents { get; }
    public int TopK { get; }
    public long SequencesSeen => _sequences;

    /// <summary>Records activations [batch, pos, latents] of the sequences <paramref name="tokens"/> [batch, pos].</summary>
    public void Observe(Tensor activations, IntTensor? tokens)
    {
        if (activations.Rank != 3 || activations.Dim(2) != Latents)
            throw new ArgumentException($"Expected activations [batch, pos, {Latents}]; got {Tensor.Format(activations.Shape)}.");
        int batch = activations.Dim(0), seq = activations.Dim(1);
        lock (_top)
        {
            for (int b = 0; b < batch; b++)
                for (int p = 0; p < seq; p++)
                {
                    var row = activations.Span.Slice((b * seq + p) * Latents, Latents);
                    int token = tokens?[b, p] ?? -1;
                    for (int i = 0; i < Latents; i++)
                    {
                        float v = row[i];
                        _sum[i] += v;
                        if (v > 0) _fired[i]++;
                        var heap = _top[i];
                        if (heap.Count < TopK) heap.Enqueue(new LatentExample(v, _sequences + b, p, token), v);
                        else if (heap.TryPeek(out _, out float smallest) && v > smallest)
                            heap.EnqueueDequeue(new LatentExample(v, _sequences + b, p, token), v);
                    }
                }
            _sequences += batch;
            _rows += (long)batch * seq;
        }
    }

    /// <summary>The top activations of <paramref name="latent"/>, largest first.</summary>
    public IReadOnlyList<LatentExample> Top(int latent)
    {
        lock (_top) return _top[latent].UnorderedItems.Select(e => e.Element).OrderByDescending(e => e.Value).ThenBy(e => e.Sequence).ThenBy(e => e.Position).ToList();
    }

    /// <summary>Fraction of positions where the latent was positive.</summary>
    public double FiringRate(int latent) => _rows == 0 ? 0 : (double)_fired[latent] / _rows;

    public double Mean(int latent) => _rows == 0 ? 0 : _sum[latent] / _rows;

    /// <summary>Latents that never fired: dead features (or neurons).</summary>
    public IReadOnlyList<int> Dead() => Enumerable.Range(0, Latents).Where(i => _fired[i] == 0).ToList();
}

using System.Runtime.CompilerServices;
using Glassbox.Tensors;

namespace Glassbox.Models;

public sealed partial class HookedTransformer
{
    /// <summary>
    /// Continues <paramref name="prompt"/> by up to <see cref="GenerationOptions.MaxNewTokens"/> tokens,
    /// calling <paramref name="onToken"/> as each arrives. Hooks in the options fire on every step.
    /// Returns the new tokens (not the prompt).
    /// </summary>
    public int[] Generate(int[] prompt, GenerationOptions? options = null, Action<int>? onToken = null)
        => Generate([prompt], options, onToken is null ? null : tokens => onToken(tokens[0]))[0];

    /// <summary>
    /// Batched generation: prompts of different lengths are left-padded (positions come from the mask,
    /// so each continues exactly as it would alone). <paramref name="onStep"/> gets one token per sequence
    /// per step (finished sequences repeat the pad token). Returns each sequence's new tokens, up to
    /// and including its stop token.
    /// </summary>
    public int[][] Generate(IReadOnlyList<int[]> prompts, GenerationOptions? options = null, Action<int[]>? onStep = null)
    {
        var results = prompts.Select(_ => new List<int>()).ToArray();
        foreach (var step in Steps(prompts, options ?? new GenerationOptions(), CancellationToken.None))
        {
            for (int b = 0; b < step.Tokens.Length; b++)
                if (!step.FinishedBefore[b]) results[b].Add(step.Tokens[b]);
            onStep?.Invoke(step.Tokens);
        }
        return results.Select(r => r.ToArray()).ToArray();
    }

    /// <summary>Streams the new tokens of one prompt as they are generated.</summary>
    public async IAsyncEnumerable<int> GenerateAsync(int[] prompt, GenerationOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var steps = Steps([prompt], options ?? new GenerationOptions(), cancellationToken);
        using var e = steps.GetEnumerator();
        while (await Task.Run(e.MoveNext, cancellationToken).ConfigureAwait(false))
        {
            if (e.Current.FinishedBefore[0]) yield break;
            yield return e.Current.Tokens[0];
        }
    }

    readonly record struct GenerationStep(int[] Tokens, bool[] FinishedBefore);

    IEnumerable<GenerationStep> Steps(IReadOnlyList<int[]> prompts, GenerationOptions options, CancellationToken cancel)
    {
        if (prompts.Count == 0) throw new ArgumentException("No prompts given.");
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("Every prompt needs at least one token.");
        if (options.MaxNewTokens < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxNewTokens must not be negative.");
        var (tokens, mask) = TokenBatch.LeftPad(prompts, options.PadToken ?? options.StopTokens?.FirstOrDefault() ?? 0);
        int batch = prompts.Count;
        var stop = new HashSet<int>(options.StopTokens ?? []);
        var sampler = new Sampler(options);
        var finished = new bool[batch];
        int pad = options.PadToken ?? options.StopTokens?.FirstOrDefault() ?? 0;

        var cache = options.UseKvCache ? new KeyValueCache(Config, batch, tokens.Dim(1) + options.MaxNewTokens) : null;
        var history = prompts.Select(p => p.ToList()).ToArray();
        IntTensor input = tokens, inputMask = mask;

        for (int step = 0; step < options.MaxNewTokens; step++)
        {
            cancel.ThrowIfCancellationRequested();
            int[] next = new int[batch];
            using (var logits = Forward(input, new ForwardOptions
            {
                AttentionMask = inputMask, KeyValueCache = cache, Hooks = options.Hooks, Step = step,
            }).Logits!)
            {
                for (int b = 0; b < batch; b++)
                    next[b] = finished[b] ? pad : sampler.Next(logits[b][-1].Span);
            }
            var before = (bool[])finished.Clone();
            for (int b = 0; b < batch; b++)
            {
                if (!finished[b]) history[b].Add(next[b]);
                if (stop.Contains(next[b])) finished[b] = true;
            }
            yield return new GenerationStep(next, before);
            if (finished.All(f => f)) yield break;

            if (cache is not null)
            {
                input = new IntTensor(next, batch, 1);
                inputMask = new IntTensor(Enumerable.Repeat(1, batch).ToArray(), batch, 1);
            }
            else
            {
                (input, inputMask) = TokenBatch.LeftPad(history.Select(h => h.ToArray()).ToList(), pad);
            }
        }
    }
}

using System.Globalization;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Cli;

/// <summary>
/// Parses token ids written as <c>1,2,3</c> (one sequence) or <c>1,2,3;4,5,6</c> (a batch of
/// sequences of equal length). Spaces around ids are allowed; every error names the bad token
/// and where it is.
/// </summary>
public static class TokenListParser
{
    /// <summary>The sequences in <paramref name="text"/>; throws <see cref="UsageException"/> naming the first problem.</summary>
    public static IReadOnlyList<int[]> Parse(string? text, string option = "--tokens")
    {
        if (string.IsNullOrWhiteSpace(text))
            throw new UsageException($"{option} is empty; give token ids like 1,2,3 or 1,2,3;4,5,6.");
        string[] sequences = text.Split(';');
        var rows = new List<int[]>(sequences.Length);
        for (int s = 0; s < sequences.Length; s++)
        {
            string sequence = sequences[s];
            if (string.IsNullOrWhiteSpace(sequence))
                throw new UsageException($"{option}: sequence {s} is empty (sequences are separated by ';', ids by ',').");
            string[] items = sequence.Split(',');
            var row = new int[items.Length];
            for (int p = 0; p < items.Length; p++)
            {
                string item = items[p].Trim();
                if (item.Length == 0)
                    throw new UsageException($"{option}: sequence {s} has an empty token at position {p}.");
                if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out row[p]))
                    throw new UsageException($"{option}: '{item}' (sequence {s}, position {p}) is not a token id; ids are non-negative integers.");
            }
            if (s > 0 && row.Length != rows[0].Length)
                throw new UsageException(
                    $"{option}: sequence {s} has {row.Length} tokens but sequence 0 has {rows[0].Length}; all sequences of a batch must have the same length.");
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Checks the ids against the model's vocabulary and the length against its context.</summary>
    public static void CheckFits(IReadOnlyList<int[]> rows, ModelConfig config, string option = "--tokens")
    {
        for (int s = 0; s < rows.Count; s++)
            for (int p = 0; p < rows[s].Length; p++)
                if (rows[s][p] >= config.DVocab)
                    throw new UsageException(
                        $"{option}: token {rows[s][p]} (sequence {s}, position {p}) is outside the vocabulary of '{config.ModelName}' (0..{config.DVocab - 1}).");
        int length = rows[0].Length;
        if (config.PositionalEmbedding != PositionalEmbeddingType.Rotary && length > config.NCtx)
            throw new UsageException($"{option}: {length} tokens per sequence exceed the context of '{config.ModelName}' ({config.NCtx}).");
    }

    /// <summary>The sequences as a [batch, pos] tensor.</summary>
    public static IntTensor ToTensor(IReadOnlyList<int[]> rows) => IntTensor.FromRows(rows);
}

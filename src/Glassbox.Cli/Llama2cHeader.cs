using System.Buffers.Binary;
using System.Globalization;

namespace Glassbox.Cli;

/// <summary>
/// The 28-byte header of a llama2.c (v0) model checkpoint, read without the weights. A header whose
/// sizes add up to exactly the file's length is taken as a checkpoint; that is what tells a model
/// <c>.bin</c> from a llama2.c tokenizer <c>.bin</c>, which starts with a small integer too.
/// </summary>
internal sealed record Llama2cHeader(int Dim, int HiddenDim, int Layers, int Heads, int KeyValueHeads, int Vocab, bool SharedClassifier, int SeqLen, long FileBytes)
{
    const int HeaderBytes = 7 * sizeof(int);

    /// <summary>
    /// Float32 arrays in the file: token embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3,
    /// rms_final, the two legacy RoPE tables, and wcls when the classifier is not shared.
    /// </summary>
    public int Arrays => SharedClassifier ? 13 : 14;

    /// <summary>Reads the header of <paramref name="path"/>; false with the reason when it does not describe this file.</summary>
    public static bool TryRead(string path, out Llama2cHeader? header, out string problem)
    {
        header = null;
        long length = new FileInfo(path).Length;
        if (length < HeaderBytes)
        {
            problem = $"it has {length} bytes, fewer than the 28-byte header";
            return false;
        }
        var bytes = new byte[HeaderBytes];
        using (var stream = File.OpenRead(path)) stream.ReadExactly(bytes);
        int Int(int i) => BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4 * i));
        int dim = Int(0), hidden = Int(1), layers = Int(2), heads = Int(3), kvHeads = Int(4), vocab = Int(5), seqLen = Int(6);
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab == 0 || vocab == int.MinValue || seqLen <= 0
            || dim % heads != 0 || heads % kvHeads != 0)
        {
            problem = $"its header is implausible (dim {dim}, hidden_dim {hidden}, n_layers {layers}, n_heads {heads}, n_kv_heads {kvHeads}, vocab_size {vocab}, seq_len {seqLen})";
            return false;
        }
        var candidate = new Llama2cHeader(dim, hidden, layers, heads, kvHeads, Math.Abs(vocab), vocab > 0, seqLen, length);
        long expected = candidate.ExpectedBytes();
        if (expected != length)
        {
            problem = $"its header (dim {dim}, n_layers {layers}, vocab_size {vocab}, seq_len {seqLen}) describes {N(expected)} bytes but the file has {N(length)}";
            return false;
        }
        header = candidate;
        problem = "";
        return true;
    }

    /// <summary>The file size the header implies (see <c>Llama2cCheckpoint.Read</c> for the layout).</summary>
    long ExpectedBytes()
    {
        long dim = Dim, hidden = HiddenDim, layers = Layers, vocab = Vocab;
        long dHead = Dim / Heads, kvDim = KeyValueHeads * dHead;
        long floats = vocab * dim                    // token_embedding_table
            + layers * dim                           // rms_att_weight
            + layers * dim * dim                     // wq
            + 2 * layers * kvDim * dim               // wk, wv
            + layers * dim * dim                     // wo
            + layers * dim                           // rms_ffn_weight
            + 3 * layers * hidden * dim              // w1, w2, w3
            + dim                                    // rms_final_weight
            + 2L * SeqLen * (dHead / 2)              // freq_cis_real, freq_cis_imag
            + (SharedClassifier ? 0 : vocab * dim);  // wcls
        return HeaderBytes + floats * sizeof(float);
    }

    /// <summary>
    /// The llama2.c tokenizer beside a checkpoint, by the rule <c>Llama2cCheckpoint.Load</c> uses:
    /// <c>tokenizer.bin</c>, else the first <c>tok*.bin</c> in ordinal order; null when there is none.
    /// </summary>
    public static string? TokenizerBeside(string checkpointPath)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!;
        string named = Path.Combine(folder, "tokenizer.bin");
        if (File.Exists(named)) return named;
        return Directory.EnumerateFiles(folder, "tok*.bin").Order(StringComparer.Ordinal).FirstOrDefault();
    }

    static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

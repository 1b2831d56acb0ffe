using System.Runtime.InteropServices;
using Glassbox.Hooks;
using Glassbox.Models;

namespace Glassbox.Loading;

/// <summary>How to treat llama2.c's interleaved rotary convention.</summary>
public enum Llama2cRotaryLayout
{
    /// <summary>
    /// Permute the q/k rows inside each head to Hugging Face's rotate_half layout (the default), so
    /// hook_q/k/rot_q/rot_k match a Hugging Face conversion of the same model.
    /// </summary>
    RotateHalf,
    /// <summary>Keep llama2.c's weights and rotate adjacent pairs (2j, 2j+1), as run.c does.</summary>
    AdjacentPairs,
}

/// <summary>
/// Reads llama2.c's legacy (v0) <c>.bin</c> checkpoints: a 7-int32 header (dim, hidden_dim, n_layers,
/// n_heads, n_kv_heads, vocab_size — negative when the classifier is not shared — and seq_len), then
/// float32 <c>nn.Linear</c> weights [out, in]. The two legacy RoPE tables are skipped (we compute our own).
/// </summary>
public static class Llama2cCheckpoint
{
    const int HeaderInts = 7;

    /// <summary>
    /// Loads raw weights (no processing unless asked), as llama2.c runs them, with the llama2.c
    /// tokenizer found beside the checkpoint (<c>tokenizer.bin</c> or <c>tok*.bin</c>) if there is one.
    /// </summary>
    public static HookedTransformer Load(string path, Llama2cRotaryLayout layout = Llama2cRotaryLayout.RotateHalf, ProcessingOptions? processing = null)
    {
        var (config, weights) = Read(path, layout);
        var (processedConfig, processedWeights) = WeightProcessing.Apply(config, weights, processing ?? ProcessingOptions.None);
        var model = new HookedTransformer(processedConfig, processedWeights);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var tokenizerFile = new[] { Path.Combine(folder, "tokenizer.bin") }.Concat(Directory.EnumerateFiles(folder, "tok*.bin").Order(StringComparer.Ordinal))
            .FirstOrDefault(File.Exists);
        if (tokenizerFile is not null) model.Tokenizer = Tokenizers.Llama2cTokenizer.Load(tokenizerFile, config.DVocab);
        return model;
    }

    public static (ModelConfig Config, TransformerWeights Weights) Read(string path, Llama2cRotaryLayout layout = Llama2cRotaryLayout.RotateHalf)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No llama2.c checkpoint at {path}.", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < HeaderInts * 4) throw Bad(path, $"the file has {bytes.Length} bytes, fewer than the 28-byte header");
        var header = MemoryMarshal.Cast<byte, int>(bytes.AsSpan(0, HeaderInts * 4));
        int dim = header[0], hidden = header[1], layers = header[2], heads = header[3], kvHeads = header[4], vocab = header[5], seqLen = header[6];
        bool shared = vocab > 0;
        vocab = Math.Abs(vocab);
        if (dim <= 0 || hidden <= 0 || layers <= 0 || heads <= 0 || kvHeads <= 0 || vocab == 0 || seqLen <= 0 || dim % heads != 0 || heads % kvHeads != 0)
            throw Bad(path, $"implausible header (dim {dim}, hidden_dim {hidden}, n_layers {layers}, n_heads {heads}, n_kv_heads {kvHeads}, vocab_size {header[5]}, seq_len {seqLen}); is this a llama2.c v0 checkpoint?");
        int dHead = dim / heads, kvDim = kvHeads * dHead;

        var reader = new FloatReader(path, bytes, HeaderInts * 4);
        var embed = reader.Take("token_embedding_table", (long)vocab * dim);
        var rmsAtt = reader.Take("rms_att_weight", (long)layers * dim);
        var wq = reader.Take("wq", (long)layers * dim * dim);
        var wk = reader.Take("wk", (long)layers * kvDim * dim);
        var wv = reader.Take("wv", (long)layers * kvDim * dim);
        var wo = reader.Take("wo", (long)layers * dim * dim);
        var rmsFfn = reader.Take("rms_ffn_weight", (long)layers * dim);
        var w1 = reader.Take("w1", (long)layers * hidden * dim);
        var w2 = reader.Take("w2", (long)layers * dim * hidden);
        var w3 = reader.Take("w3", (long)layers * hidden * dim);
        var rmsFinal = reader.Take("rms_final_weight", dim);
        reader.Skip("freq_cis_real and freq_cis_imag", 2L * seqLen * (dHead / 2));
        var wcls = shared ? null : reader.Take("wcls", (long)vocab * dim);
        reader.ExpectEnd();

        float[] Layer(float[] all, int l, int rows, int cols) => all.AsSpan(l * rows * cols, rows * cols).ToArray();
        float[] Linear(float[] all, int l, int outDim, int inDim) => Gpt2Checkpoint.Transpose(Layer(all, l, outDim, inDim), outDim, inDim);
        float[] QueryKey(float[] all, int l, int rowsHeads)
        {
            var w = Layer(all, l, rowsHeads * dHead, dim);
            if (layout == Llama2cRotaryLayout.RotateHalf) w = PermuteToRotateHalf(w, rowsHeads, dHead, dim);
            return Gpt2Checkpoint.Transpose(w, rowsHeads * dHead, dim);
        }

        var layerWeights = Enumerable.Range(0, layers).Select(l => new LayerWeights
        {
            Ln1Weight = Layer(rmsAtt, l, 1, dim),
            WQ = QueryKey(wq, l, heads),
            WK = QueryKey(wk, l, kvHeads),
            WV = Linear(wv, l, kvDim, dim),
            BQ = new float[dim], BK = new float[kvDim], BV = new float[kvDim],
            WO = Linear(wo, l, dim, dim),
            BO = new float[dim],
            Ln2Weight = Layer(rmsFfn, l, 1, dim),
            WGate = Linear(w1, l, hidden, dim),
            WIn = Linear(w3, l, hidden, dim),
            WOut = Linear(w2, l, dim, hidden),
        }).ToArray();

        var config = new ModelConfig
        {
            ModelName = Path.GetFileNameWithoutExtension(path),
            Family = ModelFamily.Llama,
            NLayers = layers, DModel = dim, NHeads = heads, NKeyValueHeads = kvHeads, DHead = dHead, DMlp = hidden,
            DVocab = vocab, NCtx = seqLen,
            ActFn = ActivationFunction.Silu, Normalization = NormalizationType.RMS, Eps = 1e-5f,
            PositionalEmbedding = PositionalEmbeddingType.Rotary, RotaryDim = dHead, RotaryBase = 10000f,
            RotaryAdjacentPairs = layout == Llama2cRotaryLayout.AdjacentPairs,
            GatedMlp = true, TiedEmbeddings = shared,
        }.Validated();
        var weights = new TransformerWeights
        {
            WE = embed,
            Layers = layerWeights,
            LnFinalWeight = rmsFinal,
            WU = wcls is null ? null : Gpt2Checkpoint.Transpose(wcls, vocab, dim),
        };
        return (config, weights);
    }

    /// <summary>Within each head, row 2j → j and row 2j+1 → j + d_head/2 (rows are [out, in]).</summary>
    static float[] PermuteToRotateHalf(float[] w, int heads, int dHead, int inDim)
    {
        var result = new float[w.Length];
        int half = dHead / 2;
        for (int h = 0; h < heads; h++)
            for (int j = 0; j < half; j++)
            {
                w.AsSpan((h * dHead + 2 * j) * inDim, inDim).CopyTo(result.AsSpan((h * dHead + j) * inDim, inDim));
                w.AsSpan((h * dHead + 2 * j + 1) * inDim, inDim).CopyTo(result.AsSpan((h * dHead + half + j) * inDim, inDim));
            }
        return result;
    }

    static InvalidDataException Bad(string path, string problem) => new($"{path}: {problem}.");

    /// <summary>Sequential float32 arrays with errors that name the array that did not fit.</summary>
    sealed class FloatReader(string path, byte[] bytes, int offset)
    {
        int _offset = offset;

        public float[] Take(string name, long count)
        {
            long need = count * sizeof(float);
            if (count > Array.MaxLength || _offset + need > bytes.Length)
                throw Bad(path, $"the file ends inside \"{name}\" ({need} bytes needed at offset {_offset}, {bytes.Length - _offset} left)");
            var values = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(_offset, (int)need)).ToArray();
            _offset += (int)need;
            return values;
        }

        public void Skip(string name, long count)
        {
            long need = count * sizeof(float);
            if (_offset + need > bytes.Length) throw Bad(path, $"the file ends inside \"{name}\"");
            _offset += (int)need;
        }

        public void ExpectEnd()
        {
            if (_offset != bytes.Length)
                throw Bad(path, $"{bytes.Length - _offset} bytes follow the last weight; the header does not describe this file");
        }
    }
}

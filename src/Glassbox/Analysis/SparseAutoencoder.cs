using System.Text.Json;
using Glassbox.Loading;
using Glassbox.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Glassbox.Analysis;

public enum SaeActivation
{
    /// <summary>f = ReLU(pre).</summary>
    ReLU,
    /// <summary>f keeps the k largest pre-activations (after ReLU), zero elsewhere.</summary>
    TopK,
}

/// <summary>
/// A sparse autoencoder on one hook point, as SAELens stores it: W_enc [d_in, d_sae], b_enc [d_sae],
/// W_dec [d_sae, d_in], b_dec [d_in]. pre = (x − b_dec)·W_enc + b_enc (b_dec subtracted when
/// <see cref="ApplyBDecToInput"/>), f = act(pre), x̂ = f·W_dec + b_dec.
/// </summary>
public sealed class SparseAutoencoder
{
    readonly PackedMatrix _encoder;
    readonly PackedMatrix _decoder;

    public SparseAutoencoder(float[] wEnc, float[] bEnc, float[] wDec, float[] bDec, SaeActivation activation = SaeActivation.ReLU, int k = 0,
        bool applyBDecToInput = true, string? hookName = null)
    {
        DIn = bDec.Length;
        DSae = bEnc.Length;
        if (wEnc.Length != DIn * DSae) throw new ArgumentException($"W_enc has {wEnc.Length} values; d_in {DIn} × d_sae {DSae} needs {DIn * DSae}.");
        if (wDec.Length != DIn * DSae) throw new ArgumentException($"W_dec has {wDec.Length} values; d_sae {DSae} × d_in {DIn} needs {DIn * DSae}.");
        if (activation == SaeActivation.TopK && (k <= 0 || k > DSae)) throw new ArgumentException($"A TopK SAE needs 0 < k ≤ d_sae ({DSae}); got {k}.");
        WEnc = wEnc; BEnc = bEnc; WDec = wDec; BDec = bDec;
        Activation = activation;
        K = k;
        ApplyBDecToInput = applyBDecToInput;
        HookName = hookName;
        _encoder = PackedMatrix.Pack(wEnc, DIn, DSae);
        _decoder = PackedMatrix.Pack(wDec, DSae, DIn);
    }

    public int DIn { get; }
    public int DSae { get; }
    public float[] WEnc { get; }
    public float[] BEnc { get; }
    public float[] WDec { get; }
    public float[] BDec { get; }
    public SaeActivation Activation { get; }
    public int K { get; }
    public bool ApplyBDecToInput { get; }
    /// <summary>The hook point the SAE was trained on, if its config says.</summary>
    public string? HookName { get; }

    /// <summary>
    /// Loads SAELens files: a folder with <c>sae_weights.safetensors</c> (and optionally <c>cfg.json</c>
    /// for the activation, k, hook name and apply_b_dec_to_input) or a single <c>.safetensors</c> file.
    /// </summary>
    public static SparseAutoencoder Load(string path, SaeActivation? activation = null, int? k = null)
    {
        string weights = Directory.Exists(path) ? Path.Combine(path, "sae_weights.safetensors") : path;
        string? config = Directory.Exists(path) ? Path.Combine(path, "cfg.json") : null;
        if (!File.Exists(weights)) throw new FileNotFoundException($"No SAE weights at {weights}.", weights);
        using var file = SafetensorsFile.Open(weights);
        float[] Read(string name, params long[] shape)
        {
            if (!file.Contains(name)) throw new InvalidDataException($"{weights}: the SAE lacks tensor \"{name}\".");
            var info = file[name];
            if (shape.Length > 0 && !info.Shape.SequenceEqual(shape))
                throw new InvalidDataException($"{weights}: \"{name}\" has shape [{string.Join(", ", info.Shape)}]; expected [{string.Join(", ", shape)}].");
            return file.ReadFloat32(name);
        }
        var wEncInfo = file.Contains("W_enc") ? file["W_enc"] : throw new InvalidDataException($"{weights}: the SAE lacks tensor \"W_enc\".");
        if (wEncInfo.Shape.Length != 2) throw new InvalidDataException($"{weights}: \"W_enc\" must be [d_in, d_sae].");
        long dIn = wEncInfo.Shape[0], dSae = wEncInfo.Shape[1];

        var act = activation ?? SaeActivation.ReLU;
        int topK = k ?? 0;
        bool applyBDec = true;
        string? hook = null;
        if (config is not null && File.Exists(config))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            var root = doc.RootElement;
            string? fn = root.TryGetProperty("activation_fn_str", out var a) ? a.GetString()
                : root.TryGetProperty("activation_fn", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString()
                : root.TryGetProperty("architecture", out var c) ? c.GetString() : null;
            if (activation is null && fn is "topk") act = SaeActivation.TopK;
            else if (activation is null && fn is not (null or "relu" or "standard"))
                throw new NotSupportedException($"{config}: SAE activation \"{fn}\" is not supported (relu, topk).");
            if (k is null && root.TryGetProperty("activation_fn_kwargs", out var kwargs) && kwargs.ValueKind == JsonValueKind.Object && kwargs.TryGetProperty("k", out var kv)) topK = kv.GetInt32();
            if (k is null && root.TryGetProperty("k", out var k2) && k2.ValueKind == JsonValueKind.Number) topK = k2.GetInt32();
            if (root.TryGetProperty("apply_b_dec_to_input", out var ab) && ab.ValueKind is JsonValueKind.True or JsonValueKind.False) applyBDec = ab.GetBoolean();
            if (root.TryGetProperty("hook_name", out var hn) && hn.ValueKind == JsonValueKind.String) hook = hn.GetString();
        }
        return new SparseAutoencoder(Read("W_enc", dIn, dSae), Read("b_enc", dSae), Read("W_dec", dSae, dIn), Read("b_dec", dIn), act, topK, applyBDec, hook);
    }

    /// <summary>pre-activations [..., d_sae] of x [..., d_in].</summary>
    public Tensor EncodePre(Tensor x)
    {
        int rows = Rows(x);
        var input = x.Clone();
        if (ApplyBDecToInput)
            for (int r = 0; r < rows; r++) TensorPrimitives.Subtract(input.Span.Slice(r * DIn, DIn), BDec, input.Span.Slice(r * DIn, DIn));
        var pre = Tensor.Zeros(WithLast(x, DSae));
        Gemm.Multiply(input.Span, rows, _encoder, pre.Span, BEnc);
        return pre;
    }

    /// <summary>The activation function on pre-activations (a new tensor).</summary>
    public Tensor Activate(Tensor pre)
    {
        var f = pre.Clone();
        for (int r = 0; r < f.Length / DSae; r++)
        {
            var row = f.Span.Slice(r * DSae, DSae);
            TensorPrimitives.Max(row, 0f, row);
            if (Activation == SaeActivation.TopK) KeepTopK(row, K);
        }
        return f;
    }

    /// <summary>Latents f [..., d_sae] of x [..., d_in].</summary>
    public Tensor Encode(Tensor x) => Activate(EncodePre(x));

    /// <summary>Reconstruction x̂ [..., d_in] of latents f [..., d_sae].</summary>
    public Tensor Decode(Tensor f)
    {
        if (f.Dim(-1) != DSae) throw new ArgumentException($"Latents have last axis {f.Dim(-1)}; d_sae is {DSae}.");
        var x = Tensor.Zeros(WithLast(f, DIn));
        Gemm.Multiply(f.Span, f.Length / DSae, _decoder, x.Span, BDec);
        return x;
    }

    /// <summary>x − Decode(Encode(x)): what the SAE misses.</summary>
    public Tensor Error(Tensor x)
    {
        var error = x.Clone();
        TensorPrimitives.Subtract(error.Span, Decode(Encode(x)).Span, error.Span);
        return error;
    }

    int Rows(Tensor x)
    {
        if (x.Dim(-1) != DIn) throw new ArgumentException($"The SAE reads d_in = {DIn}; the input's last axis is {x.Dim(-1)}.");
        return x.Length / DIn;
    }

    static int[] WithLast(Tensor t, int last)
    {
        var shape = t.Shape.ToArray();
        shape[^1] = last;
        return shape;
    }

    /// <summary>Zeroes all but the k largest entries (ties broken by index).</summary>
    static void KeepTopK(Span<float> row, int k)
    {
        var sorted = row.ToArray();
        Array.Sort(sorted);
        float threshold = sorted[^k];
        int kept = 0;
        for (int i = 0; i < row.Length; i++)
        {
            if (row[i] > threshold) kept++;
        }
        for (int i = 0; i < row.Length; i++)
        {
            if (row[i] > threshold) continue;
            if (row[i] == threshold && kept < k) { kept++; continue; }
            row[i] = 0;
        }
    }
}

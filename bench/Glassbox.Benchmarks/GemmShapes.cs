namespace Glassbox.Benchmarks;

/// <summary>A GEMM shape [T,K]·[K,N] from GPT-2 small (d_model 768, d_mlp 3072, vocab 50257).</summary>
public sealed record GemmShape(string Name, int K, int N)
{
    public static readonly GemmShape[] Gpt2Small =
    [
        new("qkv", 768, 2304),      // attention input projection
        new("mlp_in", 768, 3072),   // MLP up-projection
        new("mlp_out", 3072, 768),  // MLP down-projection
        new("unembed", 768, 50257), // logits
    ];

    public double Flops(int t) => 2.0 * t * N * K;

    public override string ToString() => $"{Name} {K}x{N}";
}

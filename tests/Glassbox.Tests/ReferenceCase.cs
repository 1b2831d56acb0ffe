using System.Text.Json;
using Glassbox.Loading;
using Glassbox.Tensors;

namespace Glassbox.Tests;

/// <summary>One recorded case of a reference fixture: tokens, logits and every hook activation.</summary>
public sealed class ReferenceCase
{
    public required IntTensor Tokens { get; init; }
    public required Tensor Logits { get; init; }
    public required IReadOnlyList<string> HookNames { get; init; }
    public required IReadOnlyDictionary<string, Tensor> Hooks { get; init; }

    public static IReadOnlyList<ReferenceCase> Load(string fixture)
    {
        using var file = SafetensorsFile.Open(SharedFiles.Reference(Path.Combine(fixture, "cases.safetensors")));
        var names = JsonSerializer.Deserialize<string[]>(file.Metadata["hook_names"])!;
        var cases = new List<ReferenceCase>();
        for (int c = 0; file.Contains($"case{c}.tokens"); c++)
        {
            Tensor Read(string name)
            {
                var info = file[name];
                return Tensor.FromArray(file.ReadFloat32(name), info.Shape.Select(d => (int)d).ToArray());
            }
            var tokenInfo = file[$"case{c}.tokens"];
            var tokens = new IntTensor(file.ReadInt64($"case{c}.tokens").Select(t => (int)t).ToArray(), tokenInfo.Shape.Select(d => (int)d).ToArray());
            var present = names.Where(n => file.Contains($"case{c}.{n}")).ToList();
            cases.Add(new ReferenceCase
            {
                Tokens = tokens,
                Logits = Read($"case{c}.logits"),
                HookNames = present,
                Hooks = present.ToDictionary(n => n, n => Read($"case{c}.{n}")),
            });
        }
        return cases;
    }
}

/// <summary>numpy.allclose-style comparison with -inf required at exactly the same places.</summary>
public static class Close
{
    public static void Assert(Tensor actual, Tensor expected, string what, float atol = 1e-5f, float rtol = 1e-5f)
    {
        actual.Shape.ToArray().Should().Equal(expected.Shape.ToArray(), $"{what} must have the reference shape");
        var a = actual.Span;
        var e = expected.Span;
        float worst = 0;
        int worstAt = -1;
        for (int i = 0; i < a.Length; i++)
        {
            if (float.IsNegativeInfinity(e[i]) || float.IsNegativeInfinity(a[i]))
            {
                if (!(float.IsNegativeInfinity(e[i]) && float.IsNegativeInfinity(a[i])))
                    throw new Xunit.Sdk.XunitException($"{what}[{i}]: expected {e[i]}, got {a[i]} (-inf must match exactly)");
                continue;
            }
            float excess = MathF.Abs(a[i] - e[i]) - (atol + rtol * MathF.Abs(e[i]));
            if (float.IsNaN(a[i]) || excess > worst) { worst = float.IsNaN(a[i]) ? float.PositiveInfinity : excess; worstAt = i; }
        }
        if (worstAt >= 0)
            throw new Xunit.Sdk.XunitException($"{what}[{worstAt}]: expected {e[worstAt]}, got {a[worstAt]} (beyond atol {atol} + rtol {rtol}).");
    }
}

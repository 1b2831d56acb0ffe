extern alias generators;

using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using generators::Glassbox.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Glassbox.Benchmarks;

/// <summary>
/// The hook DSL's generator on a compilation with 1,000 [Hook] methods (50 partial classes × 20
/// handlers, every name form): a first run, and a re-run after an edit — one hook name changed
/// (that type's file is regenerated) or an unrelated method body changed (nothing is).
/// Run: dotnet run -c Release --project bench/Glassbox.Benchmarks -- --filter '*GeneratorBenchmarks*'
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 5, iterationCount: 20)]
public class GeneratorBenchmarks
{
    const int Classes = 50;
    const int HandlersPerClass = 20;

    static readonly string[] Handlers =
    [
        """[Hook("blocks.<L>.attn.hook_pattern")] void H{0}(ReadOnlyAttentionPattern p, int layer) {{ }}""",
        """[Hook("blocks.5.attn.hook_z")] void H{0}(HeadVectors z) => z.Head(3).Clear();""",
        """[Hook("blocks.-1.hook_resid_post")] Residual H{0}(Residual r, HookContext c) => r;""",
        """[Hook("blocks.{{2..5}}.mlp.hook_post")] void H{0}(Tensor t) {{ }}""",
        """[Hook("blocks.{{1,3}}.hook_mlp_out")] void H{0}(ReadOnlyTensor t, int layer) {{ }}""",
        """[Hook("hook_embed")] void H{0}(ReadOnlyResidual e) {{ }}""",
        """[Hook("ln_final.hook_scale")] void H{0}(ReadOnlyLayerNormScale s) {{ }}""",
        """[Hook("blocks.<L>.attn.hook_q")] void H{0}(ReadOnlyHeadVectors q, HookContext c) {{ }}""",
        """[Hook("blocks.<L>.ln1.hook_normalized")] void H{0}(ReadOnlyResidual n) {{ }}""",
        """[Hook("unembed.hook_out")] Tensor H{0}(Tensor logits) => logits;""",
    ];

    CSharpCompilation _compilation = null!;
    CSharpCompilation _renamed = null!;
    CSharpCompilation _unrelated = null!;
    GeneratorDriver _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Enumerable.Range(0, Classes).Select(c => CSharpSyntaxTree.ParseText(Source(c, rename: false), parse, path: $"Hooks{c}.cs")).ToList();
        trees.Add(CSharpSyntaxTree.ParseText("namespace Bench; public static class Other { public static int Value() => 1; }", parse, path: "Other.cs"));
        string frameworkDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == frameworkDir)
            .Append(typeof(IHookSet).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        _compilation = CSharpCompilation.Create("Bench", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _renamed = _compilation.ReplaceSyntaxTree(trees[7], CSharpSyntaxTree.ParseText(Source(7, rename: true), parse, path: "Hooks7.cs"));
        _unrelated = _compilation.ReplaceSyntaxTree(trees[^1], CSharpSyntaxTree.ParseText("namespace Bench; public static class Other { public static int Value() => 2; }", parse, path: "Other.cs"));
        _warm = NewDriver().RunGenerators(_compilation);

        var check = _warm.GetRunResult();
        if (check.GeneratedTrees.Length != Classes) throw new InvalidOperationException($"Expected {Classes} generated files, got {check.GeneratedTrees.Length}.");
    }

    static GeneratorDriver NewDriver() => CSharpGeneratorDriver.Create([new HookSetGenerator().AsSourceGenerator()],
        parseOptions: new CSharpParseOptions(LanguageVersion.Latest));

    static string Source(int c, bool rename)
    {
        var sb = new StringBuilder("using Glassbox;\nusing Glassbox.Hooks;\nusing Glassbox.Tensors;\nnamespace Bench;\npublic partial class Probe")
            .Append(c).Append("\n{\n");
        for (int h = 0; h < HandlersPerClass; h++)
        {
            string handler = string.Format(Handlers[h % Handlers.Length], h);
            if (rename && h == 0) handler = handler.Replace("hook_pattern", "hook_attn_scores").Replace("ReadOnlyAttentionPattern", "ReadOnlyAttentionScores");
            sb.Append("    ").Append(handler).Append('\n');
        }
        return sb.Append("}\n").ToString();
    }

    [Benchmark(Description = "first run, 1000 handlers")]
    public int FirstRun() => NewDriver().RunGenerators(_compilation).GetRunResult().GeneratedTrees.Length;

    [Benchmark(Description = "re-run after a hook name edit")]
    public int HookNameEdit() => _warm.RunGenerators(_renamed).GetRunResult().GeneratedTrees.Length;

    [Benchmark(Description = "re-run after an unrelated edit")]
    public int UnrelatedEdit() => _warm.RunGenerators(_unrelated).GetRunResult().GeneratedTrees.Length;
}

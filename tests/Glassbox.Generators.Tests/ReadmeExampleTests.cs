extern alias generators;

using System.Collections.Immutable;
using System.Reflection;
using generators::Glassbox.Generators.Analyzers;
using Glassbox.Generators.Tests.Infrastructure;
using Glassbox.Tests;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Glassbox.Generators.Tests;

/// <summary>The README's "Writing hooks" example, as written: it compiles with the generator, the analyzers find nothing, and it runs.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public async Task TheWritingHooksExampleCompilesCleanAndRuns()
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).Replace("\r\n", "\n");
        int section = readme.IndexOf("## Writing hooks", StringComparison.Ordinal);
        section.Should().BePositive("the README has a 'Writing hooks' section");
        int start = readme.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        string code = readme[start..end];
        code.Should().Contain("\"../shared/models/gpt2-mini\"");
        code = code.Replace("\"../shared/models/gpt2-mini\"", "@\"" + SharedFiles.Models("gpt2-mini") + "\"");

        // What <ImplicitUsings>enable</ImplicitUsings> gives a new console project.
        const string implicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.IO;\nglobal using System.Linq;\nglobal using System.Threading;\nglobal using System.Threading.Tasks;\n";
        var compilation = TestCompilation.Create(OutputKind.ConsoleApplication, code, implicitUsings);
        GeneratorHarness.CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        TestCompilation.Problems(output).Should().BeEmpty();
        (await output.WithAnalyzers([new HookAnalyzer()]).GetAnalyzerDiagnosticsAsync()).Should().BeEmpty();

        using var image = new MemoryStream();
        output.Emit(image).Success.Should().BeTrue();
        var entry = Assembly.Load(image.ToArray()).EntryPoint!;
        var console = Console.Out;
        var written = new StringWriter();
        Console.SetOut(written);
        try
        {
            entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
        }
        finally
        {
            Console.SetOut(console);
        }
        string text = written.ToString();
        text.Should().Contain("layer 1, head 2 attends to the first token with weight up to");
        text.Should().Contain("blocks.3.hook_resid_post: 4 positions");
        text.Should().Contain("loss with heads 1.0 and 1.3 ablated and block 0 skipped:");
    }

    static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(file)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Glassbox.Generators.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("No Glassbox.Generators.sln above " + file);
    }
}

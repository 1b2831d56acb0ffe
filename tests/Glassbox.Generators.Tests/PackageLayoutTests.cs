using System.Diagnostics;
using System.IO.Compression;

namespace Glassbox.Generators.Tests;

/// <summary>The runtime package carries the DSL: `dotnet pack` works and puts the analyzers where NuGet loads them.</summary>
public class PackageLayoutTests
{
    [Fact]
    public void TheRuntimePackageCarriesTheGeneratorAnalyzersAndCodeFixes()
    {
        string root = RepositoryRoot();
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        string output = Path.Combine(Path.GetTempPath(), "glassbox-pack-" + Guid.NewGuid().ToString("N"));
        try
        {
            // --no-build: the test run has just built the runtime and both analyzer assemblies in this configuration.
            var start = new ProcessStartInfo("dotnet", ["pack", Path.Combine(root, "src", "Glassbox", "Glassbox.csproj"), "-c", configuration, "--no-build", "--nologo", "-nodeReuse:false", "-o", output])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
            using var process = Process.Start(start)!;
            string log = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            process.ExitCode.Should().Be(0, log);

            string package = Directory.GetFiles(output, "Glassbox.*.nupkg").Single();
            using var zip = ZipFile.OpenRead(package);
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            entries.Should().Contain("lib/net10.0/Glassbox.dll");
            entries.Should().Contain("analyzers/dotnet/cs/Glassbox.Generators.dll");
            entries.Should().Contain("analyzers/dotnet/cs/Glassbox.Generators.CodeFixes.dll");
            entries.Should().NotContain(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.Contains("Generators"),
                "the analyzers must not become compile references of the consumer");
            using var nuspec = new StreamReader(zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open());
            nuspec.ReadToEnd().Should().NotContain("Glassbox.Generators", "the analyzer projects are not package dependencies");
        }
        finally
        {
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string file = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(file)!); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Glassbox.Generators.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("No Glassbox.Generators.sln above " + file);
    }
}

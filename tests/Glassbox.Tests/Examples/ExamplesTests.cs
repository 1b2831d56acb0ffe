using System.Diagnostics;

namespace Glassbox.Tests.Examples;

/// <summary>
/// Every example runs as a user runs it (<c>dotnet run</c> without arguments, offline) and checks its
/// own story: each exits non-zero when what it shows does not hold. The solution build has already
/// built them; this runs the built programs.
/// </summary>
public class ExamplesTests
{
    public static TheoryData<string, string> Examples => new()
    {
        { "HookBasics", "[Hook] editor zeroing L1H0 gives the same loss" },
        { "InductionHeads", "the induction head is L1H1" },
        { "DirectLogitAttribution", "L1H1" },
        { "HeadAblation", "the [Ablate] run and the sweep agree on L1H1: True" },
        { "ResidualStream", "boy named Tim" },
        { "SaeFeatures", "with the feature moved from 'sat' to 'mat' → 'mat'" },
        { "ActivationPatching", "at layer 1 the information sits at 'sat'" },
        { "Pictures", "the induction head is L1H1" },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void TheExampleRunsAndShowsWhatItSays(string name, string expected)
    {
        using var folder = new TempFolder();
        var (exitCode, output) = RunExample(name, folder.Path);
        output.Should().Contain(expected);
        exitCode.Should().Be(0, $"the example checks its own result; its output was:\n{output}");
    }

    static (int ExitCode, string Output) RunExample(string name, string workingDirectory)
    {
        string dll = ExampleDll(name);
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Example {name} did not finish in 3 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The example's built program, from the same configuration as these tests.</summary>
    static string ExampleDll(string name)
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Glassbox.Generators.sln"))) continue;
            string dll = Path.Combine(dir.FullName, "examples", name, "bin", configuration, "net10.0", name + ".dll");
            if (File.Exists(dll)) return dll;
            throw new FileNotFoundException($"Example {name} is not built at {dll}; build the solution (dotnet test Glassbox.Generators.sln -c {configuration}) first.");
        }
        throw new DirectoryNotFoundException("Could not find the repository root (Glassbox.Generators.sln) above the test assembly.");
    }
}

namespace Glassbox.Generators.Tests.Infrastructure;

/// <summary>The snapshot helper's own contract: received files, diffs, the file set, acceptance and its refusal on CI.</summary>
public sealed class SnapshotTests : IDisposable
{
    readonly string _folder = Path.Combine(Path.GetTempPath(), "glassbox-snapshots-" + Guid.NewGuid().ToString("N"));

    static Dictionary<string, string> Files(string text) => new() { ["Demo.Probe.Hooks.g.cs"] = text };

    [Fact]
    public void ANewFileFailsAndIsWrittenAsReceived()
    {
        var act = () => Snapshot.VerifyIn(_folder, Files("a\n"), accept: false, ci: false);
        act.Should().Throw<SnapshotMismatchException>().WithMessage("*New generated file Demo.Probe.Hooks.g.cs*GLASSBOX_ACCEPT_SNAPSHOTS=1*");
        File.ReadAllText(Path.Combine(_folder, "Demo.Probe.Hooks.g.received.cs")).Should().Be("a\n");
    }

    [Fact]
    public void AcceptingWritesVerifiedFilesAndRemovesReceivedAndStaleOnes()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "Old.Hooks.g.verified.cs"), "old");
        File.WriteAllText(Path.Combine(_folder, "Demo.Probe.Hooks.g.received.cs"), "x");
        Snapshot.VerifyIn(_folder, Files("a\n"), accept: true, ci: false);
        Directory.GetFiles(_folder).Select(Path.GetFileName).Should().Equal("Demo.Probe.Hooks.g.verified.cs");
        Snapshot.VerifyIn(_folder, Files("a\n"), accept: false, ci: false);
    }

    [Fact]
    public void AMismatchFailsWithALineDiff()
    {
        Snapshot.VerifyIn(_folder, Files("one\ntwo\nthree\n"), accept: true, ci: false);
        var act = () => Snapshot.VerifyIn(_folder, Files("one\nTWO\nthree\n"), accept: false, ci: false);
        var message = act.Should().Throw<SnapshotMismatchException>().Which.Message;
        message.Should().Contain("-    2: two").And.Contain("+    2: TWO").And.Contain("     1: one");
        File.Exists(Path.Combine(_folder, "Demo.Probe.Hooks.g.received.cs")).Should().BeTrue();
    }

    [Fact]
    public void AVerifiedFileNoLongerGeneratedFails()
    {
        Snapshot.VerifyIn(_folder, Files("a\n"), accept: true, ci: false);
        File.WriteAllText(Path.Combine(_folder, "Gone.Hooks.g.verified.cs"), "gone");
        var act = () => Snapshot.VerifyIn(_folder, Files("a\n"), accept: false, ci: false);
        act.Should().Throw<SnapshotMismatchException>().WithMessage("*Gone.Hooks.g.verified.cs is no longer generated*");
    }

    [Fact]
    public void AcceptingIsRefusedOnCi()
    {
        var act = () => Snapshot.VerifyIn(_folder, Files("a\n"), accept: true, ci: true);
        act.Should().Throw<InvalidOperationException>().WithMessage("*refused when CI=true*");
        Directory.Exists(_folder).Should().BeFalse();
    }

    [Fact]
    public void VersionsAreScrubbed()
        => Snapshot.Scrub("[GeneratedCode(\"Glassbox.Generators\", \"1.2.3.4\")]\r\n").Should().Be("[GeneratedCode(\"Glassbox.Generators\", \"{version}\")]\n");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}

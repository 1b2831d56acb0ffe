using Glassbox.Generators.Tests.Infrastructure;

namespace Glassbox.Generators.Tests.Generator;

/// <summary>"The compiler refuses": writing through an observer's view does not compile.</summary>
public class ViewCompileTests
{
    [Fact]
    public void WritingThroughAReadOnlyViewIsACompileError()
    {
        var compilation = TestCompilation.Create("""
            using Glassbox;
            public partial class Probe
            {
                [Hook("blocks.0.attn.hook_pattern")]
                void Observe(ReadOnlyAttentionPattern p)
                {
                    p[0, 0, 0, 0] = 1f;
                    p.Span[0] = 1f;
                    p.Head(0).Clear();
                }
            }
            """);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(d => d.Id).ToList();
        errors.Should().Equal("CS0200", "CS8331", "CS1061");
    }
}

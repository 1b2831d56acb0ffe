using System.Text.Encodings.Web;
using System.Text.Json;

namespace Glassbox.Cli;

/// <summary>How the commands write JSON: indented, readable non-ASCII, no escaping of '+' or '&lt;'.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glassbox.Tensors;

namespace Glassbox.Cli;

/// <summary>How the commands write JSON: indented, readable non-ASCII, no escaping of '+' or '&lt;'.</summary>
internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>A tensor as nested JSON arrays, one level per axis (a [layer, head] table is an array of rows).</summary>
    public static JsonArray Nested(Tensor tensor) => Nested(tensor.ToArray(), tensor.Shape.ToArray(), 0, 0);

    static JsonArray Nested(float[] values, int[] shape, int axis, int offset)
    {
        int stride = 1;
        for (int a = axis + 1; a < shape.Length; a++) stride *= shape[a];
        var items = new JsonNode?[shape[axis]];
        for (int i = 0; i < items.Length; i++)
            items[i] = axis == shape.Length - 1 ? JsonValue.Create(values[offset + i]) : Nested(values, shape, axis + 1, offset + i * stride);
        return new JsonArray(items);
    }

    /// <summary>Ints as a JSON array.</summary>
    public static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    /// <summary>Strings as a JSON array.</summary>
    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}

using System.Text.Json;
using System.Text.Unicode;

namespace Glassbox.Loading;

/// <summary>
/// Parses and validates a safetensors JSON header against the data section it describes. Everything
/// the format requires is checked here, once, so that reads later need no checks of their own.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The reference implementation's limit; a larger length means a corrupt or hostile file.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private readonly string _path;

    private SafetensorsHeader(string path) => _path = path;

    public Dictionary<string, string> Metadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Entries sorted by data offset (ties keep header order).</summary>
    public List<SafetensorsTensorInfo> Tensors { get; private set; } = [];

    public static SafetensorsHeader Parse(string path, ReadOnlySpan<byte> json, long dataLength)
    {
        var header = new SafetensorsHeader(path);
        header.ParseJson(json, dataLength);
        return header;
    }

    private void ParseJson(ReadOnlySpan<byte> json, long dataLength)
    {
        // The reference implementation requires the object to start at the first byte.
        if (json.IsEmpty || json[0] != (byte)'{')
            throw Error(null, "the header does not start with '{' (not a safetensors file, or a corrupt one)");
        if (!Utf8.IsValid(json))
            throw Error(null, $"the header is not valid UTF-8 (first bad byte at header offset {FirstInvalidUtf8(json)})");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw Error(null, $"the header is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Error(null, $"the header is a JSON {Kind(document.RootElement)}, expected an object");

            var seen = new HashSet<string>(StringComparer.Ordinal);
            var tensors = new List<SafetensorsTensorInfo>();
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw property.Name == MetadataKey
                        ? Error(null, "the header has '__metadata__' twice")
                        : Error(property.Name, "the header lists this tensor twice");
                }
                if (property.Name == MetadataKey)
                    ParseMetadata(property.Value);
                else
                    tensors.Add(ParseEntry(property.Name, property.Value, dataLength));
            }
            Tensors = CheckLayout(tensors, dataLength);
        }
    }

    private void ParseMetadata(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(null, $"'__metadata__' is a JSON {Kind(value)}, expected an object of string values");
        foreach (JsonProperty entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Error(null, $"'__metadata__' entry '{entry.Name}' is a JSON {Kind(entry.Value)}, expected a string");
            if (!Metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw Error(null, $"'__metadata__' has the key '{entry.Name}' twice");
        }
    }

    private SafetensorsTensorInfo ParseEntry(string name, JsonElement value, long dataLength)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Error(name, $"the entry is a JSON {Kind(value)}, expected an object with dtype, shape and data_offsets");

        JsonElement? dtypeElement = null, shapeElement = null, offsetsElement = null;
        foreach (JsonProperty field in value.EnumerateObject())
        {
            // Unknown fields are ignored, as the reference implementation does; known ones must be unique.
            ref JsonElement? slot = ref dtypeElement;
            switch (field.Name)
            {
                case "dtype": slot = ref dtypeElement; break;
                case "shape": slot = ref shapeElement; break;
                case "data_offsets": slot = ref offsetsElement; break;
                default: continue;
            }
            if (slot is not null)
                throw Error(name, $"the entry has '{field.Name}' twice");
            slot = field.Value;
        }

        SafetensorsDType dtype = ParseDType(name, dtypeElement);
        long[] shape = ParseShape(name, shapeElement);
        (long begin, long end) = ParseOffsets(name, offsetsElement);

        long byteLength;
        try
        {
            byteLength = checked(SafetensorsTensorInfo.CountElements(shape) * dtype.ByteSize());
        }
        catch (OverflowException)
        {
            throw Error(name, $"shape [{string.Join(", ", shape)}] of {dtype} is too large: its byte size overflows 64 bits");
        }
        if (end > dataLength)
            throw Error(name, $"data_offsets [{begin}, {end}] lie outside the data section, which is {dataLength} bytes");
        if (end - begin != byteLength)
            throw Error(name, $"data_offsets [{begin}, {end}] span {end - begin} bytes, but shape [{string.Join(", ", shape)}] of {dtype} needs {byteLength}");

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private SafetensorsDType ParseDType(string name, JsonElement? element)
    {
        if (element is not { } e)
            throw Error(name, "the entry has no 'dtype'");
        if (e.ValueKind != JsonValueKind.String)
            throw Error(name, $"'dtype' is a JSON {Kind(e)}, expected a string");
        string text = e.GetString()!;
        return SafetensorsDTypeExtensions.TryParse(text, out SafetensorsDType dtype)
            ? dtype
            : throw Error(name, SafetensorsDTypeExtensions.DescribeUnsupported(text));
    }

    private long[] ParseShape(string name, JsonElement? element)
    {
        if (element is not { } e)
            throw Error(name, "the entry has no 'shape'");
        if (e.ValueKind != JsonValueKind.Array)
            throw Error(name, $"'shape' is a JSON {Kind(e)}, expected an array of non-negative integers");
        var shape = new long[e.GetArrayLength()];
        int i = 0;
        foreach (JsonElement dim in e.EnumerateArray())
        {
            shape[i] = NonNegativeInteger(dim) ?? throw Error(name, $"'shape' item {i} is {dim.GetRawText()}, expected a non-negative integer");
            i++;
        }
        return shape;
    }

    private (long Begin, long End) ParseOffsets(string name, JsonElement? element)
    {
        if (element is not { } e)
            throw Error(name, "the entry has no 'data_offsets'");
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2)
            throw Error(name, $"'data_offsets' is {Abbreviate(e.GetRawText())}, expected an array of two non-negative integers [begin, end]");
        long? begin = NonNegativeInteger(e[0]), end = NonNegativeInteger(e[1]);
        if (begin is null || end is null)
            throw Error(name, $"'data_offsets' is {Abbreviate(e.GetRawText())}, expected two non-negative integers [begin, end]");
        if (begin > end)
            throw Error(name, $"'data_offsets' [{begin}, {end}] has begin after end");
        return (begin.Value, end.Value);
    }

    /// <summary>
    /// The format requires the tensors to tile the data section exactly: no overlap (two tensors
    /// aliasing bytes), no gap and no trailing bytes (room for hidden content).
    /// </summary>
    private List<SafetensorsTensorInfo> CheckLayout(List<SafetensorsTensorInfo> tensors, long dataLength)
    {
        // OrderBy is stable, so zero-size tensors sharing an offset keep header order.
        List<SafetensorsTensorInfo> sorted = tensors.OrderBy(t => t.DataStart).ThenBy(t => t.DataEnd).ToList();
        long covered = 0;
        SafetensorsTensorInfo? previous = null;
        foreach (SafetensorsTensorInfo t in sorted)
        {
            if (t.DataStart < covered)
                throw Error(t.Name, $"data_offsets [{t.DataStart}, {t.DataEnd}] overlap tensor '{previous!.Name}' at [{previous.DataStart}, {previous.DataEnd}]");
            if (t.DataStart > covered)
                throw Error(t.Name, $"data_offsets [{t.DataStart}, {t.DataEnd}] leave a gap: bytes [{covered}, {t.DataStart}) of the data section belong to no tensor");
            covered = t.DataEnd;
            previous = t;
        }
        if (covered != dataLength)
        {
            throw previous is null
                ? Error(null, $"the header lists no tensors, yet the data section has {dataLength} bytes")
                : Error(previous.Name, $"this last tensor ends at byte {covered} of the {dataLength}-byte data section; the {dataLength - covered} trailing bytes belong to no tensor");
        }
        return sorted;
    }

    private static long? NonNegativeInteger(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0 ? v : null;

    /// <summary>JSON type name for messages ("object", "array", ...).</summary>
    internal static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => e.ValueKind.ToString(),
    };

    private static string Abbreviate(string text) => text.Length <= 80 ? text : text[..77] + "...";

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        Utf8.ToUtf16(bytes, chars, out int read, out _, replaceInvalidSequences: false);
        return read;
    }

    private SafetensorsFormatException Error(string? tensor, string problem, Exception? inner = null) =>
        new(_path, tensor, problem, inner);
}

namespace Glassbox.Loading;

/// <summary>Byte sizes and header names of <see cref="SafetensorsDType"/>.</summary>
public static class SafetensorsDTypeExtensions
{
    // dtype strings the format defines but Glassbox does not read; named in errors so that a user
    // knows the file is valid, just unsupported, rather than corrupt.
    private static readonly string[] DefinedButUnsupported =
    [
        "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64",
    ];

    /// <summary>Bytes per element.</summary>
    public static int ByteSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.I16 => 2,
        SafetensorsDType.I8 or SafetensorsDType.U8 or SafetensorsDType.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a SafetensorsDType"),
    };

    /// <summary>The <c>dtype</c> string used in a safetensors header.</summary>
    public static string FormatName(this SafetensorsDType dtype) =>
        Enum.IsDefined(dtype)
            ? dtype.ToString()
            : throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a SafetensorsDType");

    /// <summary>True for the floating-point dtypes that <c>ReadFloat32</c> converts.</summary>
    public static bool IsFloatingPoint(this SafetensorsDType dtype) =>
        dtype is SafetensorsDType.F64 or SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16;

    /// <summary>True for the integer dtypes (and BOOL) that <c>ReadInt64</c> converts.</summary>
    public static bool IsInteger(this SafetensorsDType dtype) => !dtype.IsFloatingPoint() && Enum.IsDefined(dtype);

    /// <summary>Parses a header dtype string (exact, case-sensitive, as the format requires).</summary>
    internal static bool TryParse(string text, out SafetensorsDType dtype)
    {
        foreach (SafetensorsDType candidate in Enum.GetValues<SafetensorsDType>())
        {
            if (string.Equals(candidate.ToString(), text, StringComparison.Ordinal))
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    /// <summary>Explains why <paramref name="text"/> is not accepted, for error messages.</summary>
    internal static string DescribeUnsupported(string text)
    {
        string supported = string.Join(", ", Enum.GetNames<SafetensorsDType>());
        return Array.IndexOf(DefinedButUnsupported, text) >= 0
            ? $"dtype '{text}' is defined by the safetensors format but not supported by Glassbox (supported: {supported})"
            : $"unknown dtype '{text}' (supported: {supported})";
    }
}

using System.Globalization;

namespace Glassbox.Cli;

/// <summary>Number, size and shape formatting shared by the commands (invariant culture).</summary>
internal static class TextFormat
{
    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>"432,384 bytes (422.3 KiB)".</summary>
    public static string Bytes(long bytes) => bytes < 1024 ? $"{Number(bytes)} bytes" : $"{Number(bytes)} bytes ({Size(bytes)})";

    /// <summary>"422.3 KiB", "474.7 MiB".</summary>
    public static string Size(long bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} bytes" : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    public static string Shape(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";
}

namespace Glassbox.Loading;

/// <summary>
/// safetensors and .npy data are little-endian and are read and written by reinterpreting memory.
/// Every platform .NET 10 ships for is little-endian; refuse loudly rather than silently swap bytes
/// in a code path no test could exercise.
/// </summary>
internal static class LittleEndianHost
{
    public static void Require()
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Glassbox reads and writes tensor files only on little-endian hosts.");
    }
}

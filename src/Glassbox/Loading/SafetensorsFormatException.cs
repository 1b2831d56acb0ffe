namespace Glassbox.Loading;

/// <summary>
/// A safetensors file, or a sharded checkpoint index, is malformed or holds something Glassbox cannot
/// read. The message always names the file and, where one is involved, the tensor.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string filePath, string? tensorName, string problem, Exception? innerException = null)
        : base(Compose(filePath, tensorName, problem), innerException)
    {
        FilePath = filePath;
        TensorName = tensorName;
        Problem = problem;
    }

    /// <summary>The file at fault (a .safetensors file or an index .json).</summary>
    public string FilePath { get; }

    /// <summary>The tensor at fault, or null when the problem is not about one tensor.</summary>
    public string? TensorName { get; }

    /// <summary>The problem alone, without file and tensor.</summary>
    public string Problem { get; }

    private static string Compose(string filePath, string? tensorName, string problem) =>
        tensorName is null
            ? $"Safetensors file '{filePath}': {problem}"
            : $"Safetensors file '{filePath}', tensor '{tensorName}': {problem}";
}

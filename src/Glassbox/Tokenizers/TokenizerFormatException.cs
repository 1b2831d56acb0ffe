namespace Glassbox.Tokenizers;

/// <summary>
/// A tokenizer file is malformed, or describes something Glassbox does not implement. The message always
/// names the file and what is wrong with it (or what is not supported).
/// </summary>
public sealed class TokenizerFormatException : Exception
{
    public TokenizerFormatException(string filePath, string problem, Exception? innerException = null)
        : base($"Tokenizer file '{filePath}': {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The problem alone, without the file.</summary>
    public string Problem { get; }
}

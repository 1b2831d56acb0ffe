namespace Glassbox.Tokenizers;

/// <summary>A GPT-2 style merges file (merges.txt, vocab.bpe): an optional <c>#version</c> line, then one "left right" pair per line in rank order.</summary>
internal static class MergesFile
{
    public static List<MergeRule> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"Tokenizer file '{path}' does not exist.", path, e);
        }
        var merges = new List<MergeRule>(lines.Length);
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].TrimEnd('\r');
            if (line.Length == 0 || (n == 0 && line.StartsWith("#version", StringComparison.Ordinal))) continue;
            int space = line.IndexOf(' ');
            if (space <= 0 || space == line.Length - 1 || line.IndexOf(' ', space + 1) >= 0)
                throw new TokenizerFormatException(path, $"line {n + 1} is not a merge of two tokens separated by one space: \"{line}\".");
            merges.Add(MergeRule.FromLine(line, space));
        }
        return merges;
    }
}

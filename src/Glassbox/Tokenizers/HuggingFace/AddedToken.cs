namespace Glassbox.Tokenizers.HuggingFace;

/// <summary>An entry of tokenizer.json's <c>added_tokens</c>.</summary>
internal sealed record AddedToken(int Id, string Content, bool Special, bool Normalized, bool LeftStrip, bool RightStrip, bool SingleWord)
{
    public SpecialTokenPattern ToPattern(string content) => new(content, Id, SingleWord, LeftStrip, RightStrip);
}

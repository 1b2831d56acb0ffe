namespace Glassbox.Tokenizers.HuggingFace;

/// <summary>
/// What a tokenizer.json <c>post_processor</c> adds around a single sequence when special tokens are asked
/// for (TemplateProcessing's <c>single</c> template, Roberta/Bert's CLS and SEP; ByteLevel adds nothing).
/// </summary>
internal sealed record PostProcessor(int[] Prefix, int[] Suffix)
{
    public static readonly PostProcessor None = new([], []);

    /// <summary><paramref name="outer"/> applied to the output of this one (a <c>Sequence</c> of processors).</summary>
    public PostProcessor Then(PostProcessor outer) => new([.. outer.Prefix, .. Prefix], [.. Suffix, .. outer.Suffix]);
}

using System.Text;

namespace Glassbox.Tokenizers;

/// <summary>Unicode normalization forms for the tokenizer.json normalizers.</summary>
internal static class UnicodeNormalization
{
    public static string Normalize(string text, NormalizationForm form) => text.Normalize(form);
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Glassbox.Tokenizers;

/// <summary>
/// Unicode normalization (NFC, NFD, NFKC, NFKD; UAX #15) from Glassbox's own copy of the Unicode data
/// (<c>UnicodeData/normalization.bin</c>, written by <c>UnicodeData/generate.py</c>). .NET's
/// <see cref="string.Normalize(NormalizationForm)"/> needs ICU and does nothing in globalization-invariant
/// mode, which Glassbox runs in; with its own tables the result is the same in every mode and on every OS.
/// </summary>
internal static class UnicodeNormalization
{
    private const int HangulSBase = 0xAC00, HangulLBase = 0x1100, HangulVBase = 0x1161, HangulTBase = 0x11A7;
    private const int HangulLCount = 19, HangulVCount = 21, HangulTCount = 28;
    private const int HangulNCount = HangulVCount * HangulTCount, HangulSCount = HangulLCount * HangulNCount;

    private static readonly Lazy<Tables> tables = new(Tables.Load);

    /// <summary>The Unicode version of the data.</summary>
    public static string UnicodeVersion => tables.Value.Version;

    public static string Normalize(string text, NormalizationForm form)
    {
        bool compatibility = form is NormalizationForm.FormKC or NormalizationForm.FormKD;
        bool compose = form is NormalizationForm.FormC or NormalizationForm.FormKC;
        if (form is not (NormalizationForm.FormC or NormalizationForm.FormD or NormalizationForm.FormKC or NormalizationForm.FormKD))
            throw new ArgumentOutOfRangeException(nameof(form), form, "Not a Unicode normalization form.");

        // Below U+00A0 nothing decomposes; below U+0300 nothing is a combining mark or decomposes canonically
        // into something else than the NFC form it already is.
        int quickLimit = compatibility ? 0xA0 : compose ? 0x300 : 0xC0;
        bool quick = true;
        foreach (char c in text)
        {
            if (c >= quickLimit)
            {
                quick = false;
                break;
            }
        }
        if (quick) return text;

        Tables t = tables.Value;
        var buffer = new List<int>(text.Length + 8);
        int i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int width);
            // A lone surrogate stays as it is (it has no properties to normalize by).
            int cp = width == 1 && char.IsSurrogate(text[i]) ? text[i] : rune.Value;
            i += width;
            t.Decompose(cp, compatibility, buffer);
        }
        t.SortCombiningMarks(buffer);
        if (compose) t.Compose(buffer);

        var result = new StringBuilder(buffer.Count);
        foreach (int cp in buffer)
        {
            if (cp is >= 0xD800 and <= 0xDFFF) result.Append((char)cp);
            else result.Append(char.ConvertFromUtf32(cp));
        }
        return result.ToString();
    }

    private sealed class Tables
    {
        private readonly Dictionary<int, byte> combiningClass = new();
        private readonly Dictionary<int, int[]> canonical = new();
        private readonly Dictionary<int, int[]> compatibility = new();
        private readonly Dictionary<long, int> compositions = new(PairKey.Comparer);

        public string Version { get; private set; } = "";

        public static Tables Load()
        {
            using Stream? resource = typeof(UnicodeNormalization).Assembly.GetManifestResourceStream("Glassbox.Tokenizers.UnicodeNormalization.bin");
            if (resource is null) throw new InvalidOperationException("The Unicode normalization data is missing from the Glassbox assembly.");
            using var inflated = new ZLibStream(resource, CompressionMode.Decompress);
            using var memory = new MemoryStream();
            inflated.CopyTo(memory);
            ReadOnlySpan<byte> data = memory.GetBuffer().AsSpan(0, (int)memory.Length);
            if (!data.StartsWith("GBUN"u8) || data[4] != 1) throw new InvalidOperationException("The Unicode normalization data has an unknown format.");

            var tables = new Tables();
            int at = 5;
            int versionLength = data[at++];
            tables.Version = Encoding.ASCII.GetString(data.Slice(at, versionLength));
            at += versionLength;

            int classes = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            at += 4;
            for (int k = 0; k < classes; k++, at += 4) tables.combiningClass[U24(data, at)] = data[at + 3];

            var raw = new Dictionary<int, (bool Compat, int[] Parts)>();
            int mappings = BinaryPrimitives.ReadInt32LittleEndian(data[at..]);
            at += 4;
            for (int k = 0; k < mappings; k++)
            {
                int cp = U24(data, at);
                int flags = data[at + 3];
                at += 4;
                var parts = new int[flags & 0x3F];
                for (int p = 0; p < parts.Length; p++, at += 3) parts[p] = U24(data, at);
                raw[cp] = ((flags & 0x40) != 0, parts);
                if ((flags & 0x80) != 0) tables.compositions[PairKey.Of(parts[0], parts[1])] = cp;
            }

            // Full decompositions, applied recursively once here rather than on every use.
            foreach (int cp in raw.Keys)
            {
                var canonicalParts = new List<int>();
                Expand(cp, raw, compatibility: false, canonicalParts);
                if (canonicalParts.Count != 1 || canonicalParts[0] != cp) tables.canonical[cp] = canonicalParts.ToArray();
                var compatParts = new List<int>();
                Expand(cp, raw, compatibility: true, compatParts);
                tables.compatibility[cp] = compatParts.ToArray();
            }
            return tables;
        }

        private static void Expand(int cp, Dictionary<int, (bool Compat, int[] Parts)> raw, bool compatibility, List<int> output)
        {
            if (cp >= HangulSBase && cp < HangulSBase + HangulSCount)
            {
                DecomposeHangul(cp, output);
                return;
            }
            if (raw.TryGetValue(cp, out var mapping) && (compatibility || !mapping.Compat))
            {
                foreach (int part in mapping.Parts) Expand(part, raw, compatibility, output);
                return;
            }
            output.Add(cp);
        }

        private static int U24(ReadOnlySpan<byte> data, int at) => data[at] | (data[at + 1] << 8) | (data[at + 2] << 16);

        public byte CombiningClass(int cp) => cp < 0x300 ? (byte)0 : combiningClass.GetValueOrDefault(cp);

        public void Decompose(int cp, bool compat, List<int> output)
        {
            if (cp >= HangulSBase && cp < HangulSBase + HangulSCount)
            {
                DecomposeHangul(cp, output);
                return;
            }
            if (cp >= 0xA0 && (compat ? compatibility : canonical).TryGetValue(cp, out int[]? parts))
            {
                output.AddRange(parts);
                return;
            }
            output.Add(cp);
        }

        private static void DecomposeHangul(int cp, List<int> output)
        {
            int s = cp - HangulSBase;
            output.Add(HangulLBase + s / HangulNCount);
            output.Add(HangulVBase + s % HangulNCount / HangulTCount);
            if (s % HangulTCount != 0) output.Add(HangulTBase + s % HangulTCount);
        }

        /// <summary>The canonical ordering algorithm: each run of combining marks sorted by class, stably.</summary>
        public void SortCombiningMarks(List<int> text)
        {
            for (int i = 1; i < text.Count; i++)
            {
                byte ccc = CombiningClass(text[i]);
                if (ccc == 0) continue;
                int cp = text[i];
                int j = i;
                while (j > 0 && CombiningClass(text[j - 1]) > ccc)
                {
                    text[j] = text[j - 1];
                    j--;
                }
                text[j] = cp;
            }
        }

        /// <summary>The canonical composition algorithm, in place.</summary>
        public void Compose(List<int> text)
        {
            int starter = -1;
            int lastClass = -1; // class of the last character kept after the starter; -1 when none is between
            int written = 0;
            for (int i = 0; i < text.Count; i++)
            {
                int cp = text[i];
                byte ccc = CombiningClass(cp);
                if (starter >= 0 && (lastClass == -1 || lastClass < ccc) && TryCompose(text[starter], cp, out int composite))
                {
                    text[starter] = composite;
                    continue;
                }
                if (ccc == 0)
                {
                    starter = written;
                    lastClass = -1;
                }
                else
                {
                    lastClass = ccc;
                }
                text[written++] = cp;
            }
            text.RemoveRange(written, text.Count - written);
        }

        private bool TryCompose(int first, int second, out int composite)
        {
            if (first >= HangulLBase && first < HangulLBase + HangulLCount && second >= HangulVBase && second < HangulVBase + HangulVCount)
            {
                composite = HangulSBase + ((first - HangulLBase) * HangulVCount + (second - HangulVBase)) * HangulTCount;
                return true;
            }
            if (first >= HangulSBase && first < HangulSBase + HangulSCount && (first - HangulSBase) % HangulTCount == 0
                && second > HangulTBase && second < HangulTBase + HangulTCount)
            {
                composite = first + (second - HangulTBase);
                return true;
            }
            return compositions.TryGetValue(PairKey.Of(first, second), out composite);
        }
    }
}

// Compiled into both the runtime and the generator (linked file), so "did you mean" ranks names the
// same way at run time and in the IDE. Keep it netstandard2.0-friendly.
using System;

namespace Glassbox.Hooks
{
    internal static class EditDistance
    {
        /// <summary>Levenshtein distance (insertions, deletions and substitutions cost 1), with two rows.</summary>
        public static int Levenshtein(string a, string b)
        {
            var prev = new int[b.Length + 1];
            var cur = new int[b.Length + 1];
            for (int j = 0; j <= b.Length; j++) prev[j] = j;
            for (int i = 1; i <= a.Length; i++)
            {
                cur[0] = i;
                for (int j = 1; j <= b.Length; j++)
                    cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                var swap = prev;
                prev = cur;
                cur = swap;
            }
            return prev[b.Length];
        }
    }
}

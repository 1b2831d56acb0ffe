using System.Text;

namespace Glassbox.Cli;

/// <summary>
/// A plain text table: the first column (row labels) left-aligned, the others right-aligned, two spaces
/// between columns, header lines first. Rows may be shorter than the widest one.
/// </summary>
internal sealed class TextTable
{
    readonly List<string[]> _header = [];
    readonly List<string[]> _rows = [];

    public TextTable Header(params string[] cells)
    {
        _header.Add(cells);
        return this;
    }

    public TextTable Row(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var lines = _header.Concat(_rows).ToList();
        int columns = lines.Count == 0 ? 0 : lines.Max(l => l.Length);
        var widths = new int[columns];
        foreach (var line in lines)
            for (int c = 0; c < line.Length; c++) widths[c] = Math.Max(widths[c], line[c].Length);
        var s = new StringBuilder();
        foreach (var line in lines)
        {
            var text = new StringBuilder();
            for (int c = 0; c < line.Length; c++)
            {
                if (c > 0) text.Append("  ");
                text.Append(c == 0 ? line[c].PadRight(widths[c]) : line[c].PadLeft(widths[c]));
            }
            s.Append(text.ToString().TrimEnd()).Append('\n');
        }
        return s.ToString();
    }
}

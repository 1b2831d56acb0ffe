using System;
using System.Text;

namespace Glassbox.Generators.Helpers
{
    /// <summary>Builds C# text with indentation; multi-line text is re-indented line by line.</summary>
    internal sealed class SourceWriter
    {
        readonly StringBuilder _text = new();
        int _indent;

        public int Indentation
        {
            get => _indent;
            set => _indent = Math.Max(0, value);
        }

        public SourceWriter WriteLine()
        {
            _text.Append('\n');
            return this;
        }

        /// <summary>Writes <paramref name="text"/>, each line at the current indentation (blank lines stay blank).</summary>
        public SourceWriter WriteLine(string text)
        {
            foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
            {
                if (line.Length > 0) _text.Append(' ', 4 * _indent).Append(line);
                _text.Append('\n');
            }
            return this;
        }

        /// <summary>Writes an opening brace and indents until the returned block is disposed.</summary>
        public Block OpenBlock(string? header = null)
        {
            if (header is not null) WriteLine(header);
            WriteLine("{");
            _indent++;
            return new Block(this);
        }

        public override string ToString() => _text.ToString();

        public readonly struct Block : IDisposable
        {
            readonly SourceWriter _writer;

            public Block(SourceWriter writer) => _writer = writer;

            public void Dispose()
            {
                _writer._indent--;
                _writer.WriteLine("}");
            }
        }
    }
}

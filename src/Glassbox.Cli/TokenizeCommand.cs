using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Glassbox.Tokenizers;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox tokenize &lt;model-or-tokenizer&gt; --text "…" [--no-bos] [--json]</c>: the token ids of a
/// text and one readable piece per token, exactly as <c>generate --prompt</c> feeds them to the model
/// (BOS first unless <c>--no-bos</c>). Takes a folder with only tokenizer files, a model folder, a
/// tokenizer file, or a llama2.c <c>.bin</c> checkpoint (whose tokenizer sits beside it). Reads no weights.
/// </summary>
public static class TokenizeCommand
{
    public static Command Create(CliContext context)
    {
        var path = CliOptions.ModelPath("model-or-tokenizer",
            "A tokenizer folder or file (tokenizer.json, vocab.json + merges.txt, tokenizer.bin, tok*.bin), a model folder, or a llama2.c .bin checkpoint.",
            optional: false);
        var text = new Option<string>("--text") { Description = "The text to tokenize.", Required = true };
        var noBos = new Option<bool>("--no-bos") { Description = "Do not put the tokenizer's BOS token first." };
        var json = new Option<bool>("--json") { Description = "Print {\"ids\": [...], \"pieces\": [...]} instead of a table." };
        var command = new Command("tokenize", "Show the token ids and pieces of a text, as a model's tokenizer splits it.")
        {
            path, text, noBos, json,
        };
        command.SetAction(parse => context.Execute(() => Run(context,
            parse.GetValue(path), parse.GetValue(text)!, parse.GetValue(noBos), parse.GetValue(json))));
        return command;
    }

    static int Run(CliContext context, string? path, string text, bool noBos, bool json)
    {
        var tokenizer = Resolve(path);
        int[] ids = PromptTokens.Encode(tokenizer, text, prependBos: !noBos);
        var pieces = tokenizer.ToStrTokens(ids);
        context.Out.Write(json ? ToJson(ids, pieces) : ToText(ids, pieces));
        return ExitCodes.Success;
    }

    /// <summary>The tokenizer at <paramref name="path"/>: a folder's, a tokenizer file, or the one beside a llama2.c checkpoint.</summary>
    static ITokenizer Resolve(string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException("no tokenizer given; give a tokenizer or model folder, a tokenizer file or a llama2.c .bin checkpoint.");
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return TokenizerLoader.Load(full);
        if (!File.Exists(full)) throw new FileNotFoundException($"'{path}' does not exist (give a tokenizer or model folder, a tokenizer file or a llama2.c .bin checkpoint).");
        // A .bin is a llama2.c model checkpoint when its header says so, else a llama2.c tokenizer file.
        if (full.EndsWith(".bin", StringComparison.OrdinalIgnoreCase) && Llama2cHeader.TryRead(full, out _, out _))
        {
            var source = ModelSource.Require(full);
            return source.LoadTokenizer() ?? throw new FileNotFoundException($"model '{path}' has no tokenizer: {source.TokenizerLookedFor}.");
        }
        return TokenizerLoader.Load(full);
    }

    static string ToText(int[] ids, IReadOnlyList<string> pieces)
    {
        var w = new StringWriter();
        if (ids.Length > 0)
        {
            string[] index = ids.Select((_, i) => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            string[] id = ids.Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
            int indexWidth = Math.Max(1, index.Max(s => s.Length)), idWidth = Math.Max(2, id.Max(s => s.Length));
            w.WriteLine($"  {"#".PadLeft(indexWidth)}  {"id".PadLeft(idWidth)}  piece");
            for (int i = 0; i < ids.Length; i++)
                w.WriteLine($"  {index[i].PadLeft(indexWidth)}  {id[i].PadLeft(idWidth)}  {TextFormat.Quoted(pieces[i])}");
        }
        w.WriteLine(ids.Length == 1 ? "1 token" : $"{TextFormat.Number(ids.Length)} tokens");
        return w.ToString();
    }

    static string ToJson(int[] ids, IReadOnlyList<string> pieces) => new JsonObject
    {
        ["ids"] = new JsonArray(ids.Select(i => (JsonNode?)i).ToArray()),
        ["pieces"] = new JsonArray(pieces.Select(p => (JsonNode?)p).ToArray()),
    }.ToJsonString(CliJson.Options) + Environment.NewLine;
}

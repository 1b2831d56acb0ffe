using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Glassbox.Export;
using Glassbox.Hooks;
using Glassbox.Models;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox cache &lt;model&gt; (--tokens 1,2,3[;4,5,6] | --prompt "text") [--names filter] [--no-processing] --out file.safetensors</c>:
/// runs the model (a folder or a llama2.c <c>.bin</c>) with <c>RunWithCache</c> and writes every selected activation under its
/// TransformerLens name, plus <c>logits</c> (float32) and <c>tokens</c> (int64 [batch, pos]), to a
/// safetensors file that numpy and PyTorch read. Arguments, names and the output folder are
/// checked before the weights are loaded; the file appears only when complete.
/// </summary>
public static class CacheCommand
{
    public static Command Create(CliContext context)
    {
        var modelDir = CliOptions.ModelPath("model", "A model folder (config.json + model.safetensors) or a llama2.c .bin checkpoint.", optional: false);
        var tokens = new Option<string?>("--tokens")
        {
            Description = "Token ids: '1,2,3' for one sequence, '1,2,3;4,5,6' for a batch (sequences of equal length). Give this or --prompt.",
        };
        var prompt = new Option<string?>("--prompt")
        {
            Description = "Text to run, encoded with the model's tokenizer (BOS first unless --no-bos). Give this or --tokens.",
        };
        var noBos = new Option<bool>("--no-bos") { Description = "Do not put the tokenizer's BOS token before the --prompt text." };
        var names = new Option<string?>("--names")
        {
            Description = "Which hook points to record: an exact name or a glob ('blocks.*.attn.hook_pattern'), several separated by commas. " +
                "Default: every non-gated point (TransformerLens's run_with_cache set); '*' records gated points too.",
        };
        var noProcessing = new Option<bool>("--no-processing")
        {
            Description = "Use the raw Hugging Face weights (from_pretrained_no_processing) instead of TransformerLens's default weight processing.",
        };
        var output = new Option<string>("--out") { Description = "The .safetensors file to write (replaced atomically if it exists).", Required = true };
        var command = new Command("cache", "Run a model on tokens or text and save its hook activations, logits and tokens to a safetensors file.")
        {
            modelDir, tokens, prompt, noBos, names, noProcessing, output,
        };
        command.SetAction(parse => context.Execute(() => Run(context,
            parse.GetValue(modelDir), parse.GetValue(tokens), parse.GetValue(prompt), parse.GetValue(noBos),
            parse.GetValue(names), parse.GetValue(noProcessing), parse.GetValue(output))));
        return command;
    }

    static int Run(CliContext context, string? folder, string? tokenText, string? promptText, bool noBos, string? namesText, bool noProcessing, string? outPath)
    {
        // Everything that can be checked without the weights is checked first.
        if ((tokenText is null) == (promptText is null))
            throw new UsageException(tokenText is null ? "give the input as --tokens 1,2,3 or --prompt \"text\"." : "give --tokens or --prompt, not both.");
        if (tokenText is not null && noBos) throw new UsageException("--no-bos applies to --prompt; with --tokens the ids are used as given.");
        string target = CheckOutput(outPath);
        IReadOnlyList<int[]>? parsed = tokenText is null ? null : TokenListParser.Parse(tokenText);
        var source = ModelSource.Require(folder);
        var config = source.ReadConfig();
        var rows = parsed ?? [PromptTokens.ForModel(source.LoadTokenizer(), source, config.ModelName, promptText!, prependBos: !noBos)];
        TokenListParser.CheckFits(rows, config, tokenText is null ? "--prompt" : "--tokens");
        var table = HookPointTable.For(config);
        HookFilter filter = namesText is null ? HookFilter.All : HookFilter.AnyOf(ResolveNames(namesText, table));

        context.Cancellation.ThrowIfCancellationRequested();
        var model = source.Load(process: !noProcessing);
        context.Cancellation.ThrowIfCancellationRequested();

        var tokenTensor = TokenListParser.ToTensor(rows);
        var (logits, cache) = model.RunWithCache(tokenTensor, filter);
        using (cache)
        using (logits)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var entries = new List<SafetensorsWriteEntry>(cache.Count + 2);
            foreach (var (name, tensor) in cache)
                entries.Add(SafetensorsWriteEntry.Float32(name, Shape(tensor.Shape), tensor.Memory));
            entries.Add(SafetensorsWriteEntry.Float32("logits", Shape(logits.Shape), logits.Memory));
            long[] tokenValues = tokenTensor.ToArray().Select(t => (long)t).ToArray();
            entries.Add(SafetensorsWriteEntry.Int64("tokens", Shape(tokenTensor.Shape), tokenValues));

            var metadata = new Dictionary<string, string>
            {
                ["hook_names"] = JsonSerializer.Serialize(cache.Keys.ToArray()),
                ["model_name"] = model.Config.ModelName,
                ["processing"] = noProcessing ? "none" : "transformer_lens_defaults",
                ["glassbox_version"] = Version,
            };
            SafetensorsWriter.Write(target, entries, metadata);

            long bytes = new FileInfo(target).Length;
            context.Out.WriteLine(
                $"wrote {entries.Count} tensors ({cache.Count} hook points, logits, tokens [{rows.Count}, {rows[0].Length}]), {TextFormat.Bytes(bytes)}, to {target}");
        }
        return ExitCodes.Success;
    }

    /// <summary>The names a comma-separated list of exact names and globs selects, in firing order.</summary>
    internal static IReadOnlyList<string> ResolveNames(string text, HookPointTable table)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(p => p.Length == 0))
            throw new UsageException("--names has an empty entry; give hook names or globs separated by commas.");
        // Each part is resolved on its own so an unknown name or an empty glob is reported with suggestions.
        return parts.SelectMany(p => HookFilter.Parse(p).Select(table))
            .Distinct()
            .OrderBy(p => p.Id)
            .Select(p => p.Name)
            .ToList();
    }

    /// <summary>The full output path, if it can be written: not a folder, and its folder exists.</summary>
    static string CheckOutput(string? outPath)
    {
        if (string.IsNullOrWhiteSpace(outPath)) throw new UsageException("--out is empty; give the .safetensors file to write.");
        string full = Path.GetFullPath(outPath);
        if (Directory.Exists(full)) throw new UsageException($"--out '{outPath}' is a folder; give a file path such as '{Path.Combine(outPath, "cache.safetensors")}'.");
        string? parent = Path.GetDirectoryName(full);
        if (parent is not null && File.Exists(parent))
            throw new IOException($"cannot write --out '{outPath}': '{parent}' is a file, not a folder.");
        if (parent is null || !Directory.Exists(parent))
            throw new DirectoryNotFoundException($"cannot write --out '{outPath}': folder '{parent}' does not exist.");
        return full;
    }

    static long[] Shape(ReadOnlySpan<int> shape)
    {
        var result = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++) result[i] = shape[i];
        return result;
    }

    internal static string Version { get; } =
        typeof(HookedTransformer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HookedTransformer).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}

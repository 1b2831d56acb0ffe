using System.CommandLine;
using System.Text.Json.Nodes;
using Glassbox.Models;
using Glassbox.Tokenizers;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox generate &lt;model&gt; (--prompt "…" | --tokens 1,2,3) [--max-tokens 40] [--temperature 0]
/// [--top-k K] [--top-p P] [--seed S] [--no-bos] [--json]</c>: continues a prompt with the model's
/// raw weights (a folder or a llama2.c <c>.bin</c>), greedy by default. Text streams to stdout as it
/// is generated; without a tokenizer the new token ids do. <c>--json</c> prints the prompt ids, the
/// generated ids and the text at the end. Generation stops at the tokenizer's EOS (and, for llama2.c
/// tokenizers, at BOS, as llama2.c's run.c does).
/// </summary>
public static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var model = CliOptions.ModelPath("model", "A model folder (config.json + model.safetensors) or a llama2.c .bin checkpoint.", optional: false);
        var prompt = new Option<string?>("--prompt") { Description = "The prompt text (needs the model's tokenizer). Give this or --tokens." };
        var tokens = new Option<string?>("--tokens") { Description = "The prompt as token ids, e.g. '1,403,407'. Give this or --prompt." };
        var maxTokens = CliOptions.Integer("--max-tokens", "Most new tokens to generate (fewer if EOS comes first).", 40, min: 1);
        var temperature = CliOptions.Number("--temperature", "Sampling temperature; 0 is greedy (argmax).", 0f, t => t >= 0, "a number of at least 0");
        var topK = CliOptions.OptionalInteger("--top-k", "Sample only among the K most likely tokens (needs --temperature > 0).", min: 1);
        var topP = CliOptions.OptionalNumber("--top-p", "Sample only among the most likely tokens whose probabilities add up to P (needs --temperature > 0).",
            p => p > 0 && p <= 1, "a number in (0, 1]");
        var seed = CliOptions.OptionalInteger("--seed", "Seed for sampling; the same seed gives the same tokens (needs --temperature > 0).");
        var noBos = new Option<bool>("--no-bos") { Description = "Do not put the tokenizer's BOS token before the --prompt text." };
        var json = new Option<bool>("--json") { Description = "Print JSON at the end (prompt ids, generated ids, text) instead of streaming." };
        var command = new Command("generate", "Continue a prompt (text or token ids) with a model, greedy or sampled; streams the text as it comes.")
        {
            model, prompt, tokens, maxTokens, temperature, topK, topP, seed, noBos, json,
        };
        command.SetAction(parse => context.Execute(() => Run(context, new Settings(
            parse.GetValue(model), parse.GetValue(prompt), parse.GetValue(tokens), parse.GetValue(maxTokens), parse.GetValue(temperature),
            parse.GetValue(topK), parse.GetValue(topP), parse.GetValue(seed), parse.GetValue(noBos), parse.GetValue(json)))));
        return command;
    }

    sealed record Settings(string? Model, string? Prompt, string? Tokens, int MaxTokens, float Temperature,
        int? TopK, float? TopP, int? Seed, bool NoBos, bool Json);

    static int Run(CliContext context, Settings s)
    {
        // Everything that can be checked without the weights is checked first.
        if ((s.Prompt is null) == (s.Tokens is null))
            throw new UsageException(s.Prompt is null ? "give the prompt as --prompt \"text\" or --tokens 1,2,3." : "give --prompt or --tokens, not both.");
        if (s.Tokens is not null && s.NoBos)
            throw new UsageException("--no-bos applies to --prompt; with --tokens the ids are used as given.");
        if (s.Temperature == 0 && (s.TopK is not null || s.TopP is not null || s.Seed is not null))
            throw new UsageException("--top-k, --top-p and --seed apply to sampling; give --temperature above 0 (0 is greedy).");
        int[]? ids = null;
        if (s.Tokens is not null)
        {
            var rows = TokenListParser.Parse(s.Tokens);
            if (rows.Count > 1) throw new UsageException("--tokens: generate continues one sequence; give ids separated by ',' without ';'.");
            ids = rows[0];
        }

        var source = ModelSource.Require(s.Model);
        var config = source.ReadConfig();
        var tokenizer = source.LoadTokenizer();
        if (s.Prompt is not null) ids = PromptTokens.ForModel(tokenizer, source, config.ModelName, s.Prompt, prependBos: !s.NoBos);
        string option = s.Prompt is null ? "--tokens" : "--prompt";
        TokenListParser.CheckFits([ids!], config, option);
        if (config.PositionalEmbedding != PositionalEmbeddingType.Rotary && ids!.Length + s.MaxTokens > config.NCtx)
            throw new UsageException(
                $"{option} has {ids.Length} tokens; with --max-tokens {s.MaxTokens} that exceeds the context of '{config.ModelName}' ({config.NCtx}).");

        var options = new GenerationOptions
        {
            MaxNewTokens = s.MaxTokens,
            Temperature = s.Temperature,
            TopK = s.TopK,
            TopP = s.TopP,
            Seed = s.Seed,
            StopTokens = StopTokens(tokenizer),
        };

        context.Cancellation.ThrowIfCancellationRequested();
        // Raw weights: generation does not need TransformerLens's processing, and raw weights reproduce
        // the original implementation's tokens exactly.
        var loaded = source.Load(process: false);
        context.Cancellation.ThrowIfCancellationRequested();

        var stream = s.Json ? null : tokenizer is null ? (IOutputStream)new IdStream(context.Out) : new TextStream(tokenizer, context.Out);
        int[] generated = loaded.Generate(ids!, options, token =>
        {
            context.Cancellation.ThrowIfCancellationRequested();
            stream?.Add(token);
        });
        stream?.Finish();

        if (s.Json)
        {
            bool stopped = generated.Length > 0 && options.StopTokens is { } stops && stops.Contains(generated[^1]);
            var root = new JsonObject
            {
                ["model"] = config.ModelName,
                ["prompt_ids"] = new JsonArray(ids!.Select(i => (JsonNode?)i).ToArray()),
                ["generated_ids"] = new JsonArray(generated.Select(i => (JsonNode?)i).ToArray()),
                ["text"] = tokenizer?.Decode(generated, skipSpecialTokens: true),
                ["finish_reason"] = stopped ? "stop" : "length",
            };
            context.Out.Write(root.ToJsonString(CliJson.Options) + Environment.NewLine);
        }
        return ExitCodes.Success;
    }

    /// <summary>EOS; for llama2.c tokenizers also BOS, which separates stories in their training data (run.c stops there).</summary>
    static IReadOnlyList<int>? StopTokens(ITokenizer? tokenizer)
    {
        if (tokenizer is null) return null;
        var stops = new List<int>();
        if (tokenizer.EosTokenId is int eos) stops.Add(eos);
        if (tokenizer is Llama2cTokenizer && tokenizer.BosTokenId is int bos && !stops.Contains(bos)) stops.Add(bos);
        return stops.Count == 0 ? null : stops;
    }

    interface IOutputStream
    {
        void Add(int token);

        void Finish();
    }

    /// <summary>Writes the new text piece by piece: whole characters only (a multi-byte character split across tokens waits for its last byte).</summary>
    sealed class TextStream(ITokenizer tokenizer, TextWriter output) : IOutputStream
    {
        readonly List<int> _tokens = [];
        string _written = "";

        public void Add(int token)
        {
            _tokens.Add(token);
            Write(tokenizer.Decode(_tokens, skipSpecialTokens: true), final: false);
        }

        public void Finish()
        {
            Write(tokenizer.Decode(_tokens, skipSpecialTokens: true), final: true);
            output.WriteLine();
            output.Flush();
        }

        void Write(string text, bool final)
        {
            // Decoding the whole continuation keeps pieces right where a token's text depends on its neighbours.
            if (text.Length <= _written.Length || !text.StartsWith(_written, StringComparison.Ordinal) || (!final && text.EndsWith('\uFFFD'))) return;
            output.Write(text[_written.Length..]);
            output.Flush();
            _written = text;
        }
    }

    /// <summary>Writes the new token ids as they come, comma-separated (the --tokens syntax).</summary>
    sealed class IdStream(TextWriter output) : IOutputStream
    {
        bool _first = true;

        public void Add(int token)
        {
            output.Write(_first ? token.ToString(System.Globalization.CultureInfo.InvariantCulture) : "," + token.ToString(System.Globalization.CultureInfo.InvariantCulture));
            output.Flush();
            _first = false;
        }

        public void Finish()
        {
            output.WriteLine();
            output.Flush();
        }
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Glassbox.Hooks;
using Glassbox.Loading;
using Glassbox.Models;

namespace Glassbox.Cli;

/// <summary>
/// <c>glassbox inspect &lt;model&gt; | --preset &lt;name&gt;</c>: the config, parameter count, weight
/// memory and every hook point in firing order with its shape, kind, gating and size, plus what a
/// default and a full cache would hold. For a folder it reads config.json and the safetensors headers
/// only, never the weights; a llama2.c <c>.bin</c> is read whole (its config comes from its header).
/// </summary>
public static class InspectCommand
{
    public static Command Create(CliContext context)
    {
        var modelDir = CliOptions.ModelPath("model", "A model folder (config.json + model.safetensors) or a llama2.c .bin checkpoint. Omit it when using --preset.", optional: true);
        var preset = new Option<string?>("--preset") { Description = $"Inspect a built-in model shape instead of a folder: {ModelPresets.Names}." };
        var seq = CliOptions.Integer("--seq", "Sequence length the hook shapes and sizes are given for.", 16, min: 1);
        var batch = CliOptions.Integer("--batch", "Batch size the hook shapes and sizes are given for.", 1, min: 1);
        var json = new Option<bool>("--json") { Description = "Write indented JSON instead of tables." };
        var command = new Command("inspect", "Show a model's config, parameter count, weight memory and hook points (firing order, shapes, kinds, sizes).")
        {
            modelDir, preset, seq, batch, json,
        };
        command.SetAction(parse => context.Execute(() => Run(context,
            parse.GetValue(modelDir), parse.GetValue(preset), parse.GetValue(batch), parse.GetValue(seq), parse.GetValue(json))));
        return command;
    }

    static int Run(CliContext context, string? folder, string? preset, int batch, int seq, bool json)
    {
        if (folder is not null && preset is not null) throw new UsageException("give a model (folder or .bin) or --preset, not both.");
        if (folder is null && preset is null) throw new UsageException($"give a model folder, a llama2.c .bin checkpoint or --preset <name> (presets: {ModelPresets.Names}).");

        ModelConfig config;
        CheckpointSummary? checkpoint = null;
        ModelSource? source = null;
        if (preset is not null)
        {
            config = ModelPresets.Resolve(preset);
        }
        else
        {
            source = ModelSource.Require(folder);
            config = source.ReadConfig();
            checkpoint = CheckpointSummary.Read(source);
        }
        if (config.PositionalEmbedding != PositionalEmbeddingType.Rotary && seq > config.NCtx)
            throw new UsageException($"--seq {seq} exceeds the context of '{config.ModelName}' ({config.NCtx}).");

        var table = HookPointTable.For(config);
        var report = new Report(source, preset is null ? null : config.ModelName, table.Config, checkpoint, batch, seq,
            table.Points.Select(p =>
            {
                int[] shape = table.ShapeOf(p, batch, seq);
                return new HookRow(p, shape, shape.Aggregate(1L, (a, d) => a * d) * sizeof(float));
            }).ToList(),
            table.EstimateBytes(HookFilter.All, batch, seq),
            table.EstimateBytes(HookFilter.Everything, batch, seq));

        context.Out.Write(json ? ToJson(report) : ToText(report));
        return ExitCodes.Success;
    }

    sealed record HookRow(HookPoint Point, int[] Shape, long Bytes);

    sealed record Report(ModelSource? Source, string? Preset, ModelConfig Config, CheckpointSummary? Checkpoint, int Batch, int Seq,
        IReadOnlyList<HookRow> Hooks, long DefaultCacheBytes, long EverythingCacheBytes)
    {
        public long WeightBytes => Config.ParameterCount * sizeof(float);
    }

    /// <summary>
    /// What the checkpoint holds: files, tensor count, dtypes, bytes on disk, from the safetensors
    /// headers or the llama2.c header (whose "tensors" are its float32 arrays, the RoPE tables included).
    /// </summary>
    sealed record CheckpointSummary(string Format, IReadOnlyList<string> Files, int Tensors, IReadOnlyList<string> DTypes, long Bytes)
    {
        public static CheckpointSummary Read(ModelSource source)
        {
            if (source.Llama2c is { } header)
                return new CheckpointSummary("llama2.c", [Path.GetFileName(source.FullPath)], header.Arrays, ["F32"], header.FileBytes);
            using var checkpoint = SafetensorsCheckpoint.Open(source.FullPath);
            var infos = checkpoint.Files.SelectMany(f => f.Tensors).ToList();
            return new CheckpointSummary(
                "safetensors",
                checkpoint.Files.Select(f => Path.GetFileName(f.Path)).ToList(),
                infos.Count,
                infos.Select(i => i.DType.ToString()).Distinct().Order(StringComparer.Ordinal).ToList(),
                checkpoint.Files.Sum(f => new FileInfo(f.Path).Length));
        }
    }

    static string ToText(Report r)
    {
        var w = new StringWriter();
        w.WriteLine(r.Source is null ? $"{r.Config.ModelName} (preset)" : $"{r.Config.ModelName} ({r.Source.FullPath})");
        w.WriteLine($"  parameters     {TextFormat.Number(r.Config.ParameterCount)}");
        w.WriteLine($"  weight memory  {TextFormat.Bytes(r.WeightBytes)} as float32");
        if (r.Checkpoint is { } c)
            w.WriteLine(c.Format == "llama2.c"
                ? $"  checkpoint     {string.Join(", ", c.Files)}: llama2.c v0, {c.Tensors} float32 arrays, {TextFormat.Bytes(c.Bytes)} on disk"
                : $"  checkpoint     {string.Join(", ", c.Files)}: {c.Tensors} tensors ({string.Join(", ", c.DTypes)}), {TextFormat.Bytes(c.Bytes)} on disk");
        w.WriteLine();

        w.WriteLine("config");
        var fields = ConfigFields.Of(r.Config).ToList();
        int fieldWidth = fields.Max(f => f.Name.Length);
        foreach (var (name, value) in fields)
            w.WriteLine($"  {name.PadRight(fieldWidth)}  {FormatValue(value)}");
        w.WriteLine();

        int gated = r.Hooks.Count(h => h.Point.Spec.Gated);
        w.WriteLine($"hook points for batch {r.Batch} x seq {r.Seq}: {r.Hooks.Count} in firing order ({r.Hooks.Count - gated} cached by default, {gated} gated)");
        string[] header = ["#", "name", "kind", "shape", "gated", "bytes"];
        var rows = r.Hooks.Select(h => new[]
        {
            h.Point.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), h.Point.Name, h.Point.Kind.ToString(),
            TextFormat.Shape(h.Shape), h.Point.Spec.Gated ? "gated" : "", TextFormat.Number(h.Bytes),
        }).ToList();
        int[] widths = Enumerable.Range(0, header.Length).Select(i => Math.Max(header[i].Length, rows.Count == 0 ? 0 : rows.Max(row => row[i].Length))).ToArray();
        bool[] rightAligned = [true, false, false, false, false, true];
        string Line(string[] cells) => "  " + string.Join("  ", cells.Select((cell, i) => rightAligned[i] ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();
        w.WriteLine(Line(header));
        foreach (var row in rows) w.WriteLine(Line(row));
        w.WriteLine();

        w.WriteLine("cache size");
        w.WriteLine($"  default     {TextFormat.Bytes(r.DefaultCacheBytes)}  (RunWithCache with no filter: every non-gated point)");
        w.WriteLine($"  everything  {TextFormat.Bytes(r.EverythingCacheBytes)}  (HookFilter.Everything: gated points too)");
        return w.ToString();
    }

    static string FormatValue(object? value) => value switch
    {
        null => "None",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static string ToJson(Report r)
    {
        var config = new JsonObject();
        foreach (var (name, value) in ConfigFields.Of(r.Config))
            config[name] = value switch
            {
                null => null,
                string v => v,
                bool v => v,
                int v => v,
                long v => v,
                float v => v,
                double v => v,
                _ => throw new NotSupportedException($"config field {name} has a {value.GetType().Name} value"),
            };

        var root = new JsonObject
        {
            ["model_name"] = r.Config.ModelName,
            ["folder"] = r.Source is { IsLlama2c: false } folder ? folder.FullPath : null,
            ["file"] = r.Source is { IsLlama2c: true } file ? file.FullPath : null,
            ["preset"] = r.Preset,
            ["config"] = config,
            ["parameter_count"] = r.Config.ParameterCount,
            ["weight_bytes"] = r.WeightBytes,
            ["checkpoint"] = r.Checkpoint is not { } c ? null : new JsonObject
            {
                ["format"] = c.Format,
                ["files"] = new JsonArray(c.Files.Select(f => (JsonNode?)f).ToArray()),
                ["tensors"] = c.Tensors,
                ["dtypes"] = new JsonArray(c.DTypes.Select(d => (JsonNode?)d).ToArray()),
                ["bytes"] = c.Bytes,
            },
            ["batch"] = r.Batch,
            ["seq"] = r.Seq,
            ["hook_point_count"] = r.Hooks.Count,
            ["hook_points"] = new JsonArray(r.Hooks.Select(h => (JsonNode?)new JsonObject
            {
                ["index"] = h.Point.Id,
                ["name"] = h.Point.Name,
                ["layer"] = h.Point.Layer < 0 ? null : h.Point.Layer,
                ["kind"] = h.Point.Kind.ToString(),
                ["gated"] = h.Point.Spec.Gated,
                ["shape"] = new JsonArray(h.Shape.Select(d => (JsonNode?)d).ToArray()),
                ["axes"] = new JsonArray(h.Point.Spec.Axes.Select(a => (JsonNode?)a).ToArray()),
                ["bytes"] = h.Bytes,
                ["description"] = h.Point.Spec.Description,
            }).ToArray()),
            ["cache_bytes"] = new JsonObject
            {
                ["default"] = r.DefaultCacheBytes,
                ["everything"] = r.EverythingCacheBytes,
            },
        };
        return root.ToJsonString(CliJson.Options) + Environment.NewLine;
    }
}

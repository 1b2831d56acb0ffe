using System.Globalization;
using System.Text.RegularExpressions;
using Glassbox.Models;

namespace Glassbox.Cli;

/// <summary>A head: layer and index (label <c>L1H1</c>, as TransformerLens labels heads).</summary>
internal readonly record struct HeadRef(int Layer, int Head)
{
    public override string ToString() => $"L{Layer}H{Head}";
}

/// <summary>An MLP neuron: layer and index (label <c>L0N42</c>).</summary>
internal readonly record struct NeuronRef(int Layer, int Neuron)
{
    public override string ToString() => $"L{Layer}N{Neuron}";
}

/// <summary>What <c>--heads</c>, <c>--neurons</c> or <c>--layers</c> selects: a sweep over every one, and/or listed ones.</summary>
internal sealed record ComponentSelection<T>(bool All, IReadOnlyList<T> Listed);

/// <summary>
/// Parses the components <c>ablate</c> takes, checked against the model's config so a mistake costs
/// no loading: heads as <c>1.1,0.0</c> or <c>L1H1,L0H0</c> or <c>all</c>; neurons as <c>0:5,7,1:3</c>
/// (a <c>layer:</c> prefix starts a layer, bare numbers continue it; <c>;</c> works as a separator too)
/// or <c>0:all</c>; layers as <c>0,1</c> or <c>all</c>. Every error names the entry and what is valid.
/// </summary>
internal static partial class ComponentListParser
{
    public static ComponentSelection<HeadRef> Heads(string text, ModelConfig config, string option = "--heads")
    {
        if (IsAll(text)) return new(true, []);
        var heads = new List<HeadRef>();
        foreach (string entry in Entries(text, option, "heads"))
        {
            var match = HeadPattern().Match(entry);
            if (!match.Success)
                throw new UsageException($"{option}: '{entry}' is not a head; write heads as layer.head (1.1) or L1H1, separated by commas, or 'all'.");
            int layer = Number(match.Groups["layer"].Value), head = Number(match.Groups["head"].Value);
            CheckLayer(layer, entry, config, option);
            if (head >= config.NHeads)
                throw new UsageException($"{option}: head {head} (in '{entry}') is outside 0..{config.NHeads - 1}; '{config.ModelName}' has {config.NHeads} heads per layer.");
            var h = new HeadRef(layer, head);
            if (!heads.Contains(h)) heads.Add(h);
        }
        return new(false, heads);
    }

    /// <summary>The layers whose neurons are swept one by one (<c>L:all</c>) and the neurons listed.</summary>
    public static (IReadOnlyList<int> SweptLayers, IReadOnlyList<NeuronRef> Listed) Neurons(string text, ModelConfig config, string option = "--neurons")
    {
        if (config.AttnOnly) throw new UsageException($"{option}: '{config.ModelName}' is attention-only; it has no MLP neurons.");
        var swept = new List<int>();
        var listed = new List<NeuronRef>();
        int? layer = null;
        foreach (string entry in Entries(text, option, "neurons"))
        {
            var match = NeuronPattern().Match(entry);
            if (!match.Success)
                throw new UsageException(
                    $"{option}: '{entry}' is not a neuron; write layer:neuron,neuron (0:5,7), start another layer with its number and ':' (0:5,1:3), or layer:all.");
            if (match.Groups["layer"].Success)
            {
                layer = Number(match.Groups["layer"].Value);
                CheckLayer(layer.Value, entry, config, option);
            }
            else if (layer is null)
                throw new UsageException($"{option}: '{entry}' has no layer; write layer:neuron, e.g. 0:{entry}.");
            if (match.Groups["all"].Success)
            {
                if (!swept.Contains(layer!.Value)) swept.Add(layer.Value);
                continue;
            }
            int neuron = Number(match.Groups["neuron"].Value);
            if (neuron >= config.DMlp)
                throw new UsageException($"{option}: neuron {neuron} (in '{entry}') is outside 0..{config.DMlp - 1}; '{config.ModelName}' has {config.DMlp} neurons per MLP.");
            var n = new NeuronRef(layer!.Value, neuron);
            if (!listed.Contains(n)) listed.Add(n);
        }
        return (swept, listed);
    }

    public static ComponentSelection<int> Layers(string text, ModelConfig config, string option = "--layers")
    {
        if (IsAll(text)) return new(true, []);
        var layers = new List<int>();
        foreach (string entry in Entries(text, option, "layers"))
        {
            var match = LayerPattern().Match(entry);
            if (!match.Success) throw new UsageException($"{option}: '{entry}' is not a layer; write layer numbers separated by commas (0,1) or 'all'.");
            int layer = Number(match.Groups["layer"].Value);
            CheckLayer(layer, entry, config, option);
            if (!layers.Contains(layer)) layers.Add(layer);
        }
        return new(false, layers);
    }

    static bool IsAll(string text) => text.Trim().Equals("all", StringComparison.OrdinalIgnoreCase);

    static string[] Entries(string text, string option, string what)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new UsageException($"{option} is empty; give the {what} to ablate, or 'all'.");
        var entries = text.Split([',', ';'], StringSplitOptions.TrimEntries);
        if (entries.Any(e => e.Length == 0)) throw new UsageException($"{option} has an empty entry in '{text}'; separate {what} by single commas.");
        return entries;
    }

    static void CheckLayer(int layer, string entry, ModelConfig config, string option)
    {
        if (layer >= config.NLayers)
            throw new UsageException($"{option}: layer {layer} (in '{entry}') is outside 0..{config.NLayers - 1}; '{config.ModelName}' has {config.NLayers} layers.");
    }

    /// <summary>A non-negative integer; digits too many for an int are out of every range, so they become int.MaxValue.</summary>
    static int Number(string digits) => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : int.MaxValue;

    [GeneratedRegex(@"^(?:[Ll](?<layer>[0-9]+)[Hh](?<head>[0-9]+)|(?<layer>[0-9]+)\.(?<head>[0-9]+))$")]
    private static partial Regex HeadPattern();

    [GeneratedRegex(@"^(?:(?<layer>[0-9]+):)?(?:(?<all>all)|(?<neuron>[0-9]+))$", RegexOptions.IgnoreCase)]
    private static partial Regex NeuronPattern();

    [GeneratedRegex(@"^[Ll]?(?<layer>[0-9]+)$")]
    private static partial Regex LayerPattern();
}

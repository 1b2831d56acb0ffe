namespace Glassbox;

/// <summary>
/// The layers a hook name selects, resolved against a model's layer count when attached:
/// every layer (<c>&lt;L&gt;</c>), listed layers (<c>5</c>, <c>-1</c>, <c>{1,3}</c>; negative counts from the
/// end), an inclusive range (<c>{2..5}</c>), or none for model-wide points (<c>hook_embed</c>).
/// </summary>
public readonly struct LayerSet
{
    enum Kind : byte { ModelWide, All, List, Range }

    readonly Kind _kind;
    readonly int[]? _layers;
    readonly int _first, _last;

    LayerSet(Kind kind, int[]? layers = null, int first = 0, int last = 0)
    {
        _kind = kind;
        _layers = layers;
        _first = first;
        _last = last;
    }

    /// <summary>A model-wide point (no layer).</summary>
    public static LayerSet ModelWide => default;

    /// <summary>Every layer of the model (<c>&lt;L&gt;</c>).</summary>
    public static LayerSet All => new(Kind.All);

    /// <summary>These layers; negative ones count from the end.</summary>
    public static LayerSet Of(params int[] layers) => new(Kind.List, (int[])layers.Clone());

    /// <summary><paramref name="first"/> to <paramref name="last"/>, both included; negative ones count from the end.</summary>
    public static LayerSet Range(int first, int last) => new(Kind.Range, first: first, last: last);

    public bool IsModelWide => _kind == Kind.ModelWide;

    /// <summary>
    /// The layers for a model of <paramref name="layerCount"/> layers, ascending and distinct, or [-1]
    /// for a model-wide point. A layer beyond the model fails with a message naming <paramref name="what"/>.
    /// </summary>
    public int[] Resolve(int layerCount, string what)
    {
        switch (_kind)
        {
            case Kind.ModelWide: return [-1];
            case Kind.All: return Enumerable.Range(0, layerCount).ToArray();
            case Kind.Range:
            {
                int first = Normalize(_first, layerCount, what), last = Normalize(_last, layerCount, what);
                if (last < first)
                    throw new InvalidOperationException($"{what}: the layer range {{{_first}..{_last}}} is empty on a model of {layerCount} layers.");
                return Enumerable.Range(first, last - first + 1).ToArray();
            }
            default:
                return _layers!.Select(l => Normalize(l, layerCount, what)).Distinct().Order().ToArray();
        }
    }

    static int Normalize(int layer, int layerCount, string what)
    {
        int resolved = layer < 0 ? layer + layerCount : layer;
        if ((uint)resolved >= (uint)layerCount)
            throw new InvalidOperationException(
                $"{what}: layer {layer} is out of range; the model has {layerCount} layers (0..{layerCount - 1}, or -{layerCount}..-1 from the end).");
        return resolved;
    }

    public override string ToString() => _kind switch
    {
        Kind.ModelWide => "model-wide",
        Kind.All => "<L>",
        Kind.Range => $"{{{_first}..{_last}}}",
        _ => _layers!.Length == 1 ? _layers[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : "{" + string.Join(",", _layers) + "}",
    };
}

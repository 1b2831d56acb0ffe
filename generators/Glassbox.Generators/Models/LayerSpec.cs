using System.Globalization;
using Glassbox.Generators.Helpers;

namespace Glassbox.Generators.Models
{
    internal enum LayerSpecKind
    {
        ModelWide,
        All,
        List,
        Range,
    }

    /// <summary>The layers a hook name selects, as written: resolved against the model only when attached.</summary>
    internal sealed record LayerSpec(LayerSpecKind Kind, EquatableArray<int> Layers, int First, int Last)
    {
        public static LayerSpec ModelWide { get; } = new(LayerSpecKind.ModelWide, EquatableArray<int>.Empty, 0, 0);
        public static LayerSpec All { get; } = new(LayerSpecKind.All, EquatableArray<int>.Empty, 0, 0);

        public static LayerSpec List(params int[] layers) => new(LayerSpecKind.List, new EquatableArray<int>(layers), 0, 0);

        public static LayerSpec Range(int first, int last) => new(LayerSpecKind.Range, EquatableArray<int>.Empty, first, last);

        /// <summary>The <c>global::Glassbox.LayerSet</c> expression that builds this selection.</summary>
        public string ToExpression()
        {
            switch (Kind)
            {
                case LayerSpecKind.ModelWide: return "global::Glassbox.LayerSet.ModelWide";
                case LayerSpecKind.All: return "global::Glassbox.LayerSet.All";
                case LayerSpecKind.Range: return "global::Glassbox.LayerSet.Range(" + CSharp.Literal(First) + ", " + CSharp.Literal(Last) + ")";
                default:
                    var parts = new string[Layers.Count];
                    for (int i = 0; i < parts.Length; i++) parts[i] = Layers[i].ToString(CultureInfo.InvariantCulture);
                    return "global::Glassbox.LayerSet.Of(" + string.Join(", ", parts) + ")";
            }
        }

        /// <summary>The concrete layers named, given a model of <paramref name="layerCount"/> layers (negative ones resolved); null for <c>&lt;L&gt;</c> without a model.</summary>
        public int[]? Concrete(int? layerCount)
        {
            switch (Kind)
            {
                case LayerSpecKind.ModelWide: return new int[0];
                case LayerSpecKind.All:
                    if (layerCount is not int n) return null;
                    var all = new int[n];
                    for (int i = 0; i < n; i++) all[i] = i;
                    return all;
                case LayerSpecKind.Range:
                    int first = Resolve(First, layerCount), last = Resolve(Last, layerCount);
                    if ((First < 0 || Last < 0) && layerCount is null) return null;
                    if (last < first) return new int[0];
                    var range = new int[last - first + 1];
                    for (int i = 0; i < range.Length; i++) range[i] = first + i;
                    return range;
                default:
                    var list = new int[Layers.Count];
                    for (int i = 0; i < list.Length; i++)
                    {
                        if (Layers[i] < 0 && layerCount is null) return null;
                        list[i] = Resolve(Layers[i], layerCount);
                    }
                    return list;
            }
        }

        static int Resolve(int layer, int? layerCount) => layer < 0 && layerCount is int n ? layer + n : layer;
    }
}

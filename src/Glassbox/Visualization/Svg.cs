namespace Glassbox.Visualization;

/// <summary>Saves the SVG documents the charts return (<see cref="Heatmap.Svg"/>, <see cref="BarChart.Svg"/>, …).</summary>
public static class Svg
{
    /// <summary>Writes <paramref name="svg"/> to <paramref name="path"/> atomically (temporary file, then rename), UTF-8.</summary>
    public static void Write(string path, string svg) => AtomicText.Write(path, svg);
}

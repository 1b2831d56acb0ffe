namespace Glassbox.Visualization;

/// <summary>How an SVG element carries its hover text.</summary>
internal enum HoverStyle
{
    /// <summary>A &lt;title&gt; child: the standard SVG tooltip, shown by browsers for a standalone .svg file.</summary>
    TitleElement,

    /// <summary>A <c>data-tip</c> attribute, read by the page's tooltip script (instant, styled, no native tooltip on top).</summary>
    DataAttribute,
}

namespace Glassbox.Visualization;

/// <summary>One named line of a <see cref="LineChart"/>: a value per x label (NaN leaves a gap).</summary>
public sealed record LineSeries(string Name, IReadOnlyList<float> Values);

namespace Glassbox;

/// <summary>Which axis of a hook point an edit selects along (the catalog says where each is).</summary>
public enum AxisRole
{
    Head,
    Neuron,
    Position,
}

/// <summary>Indices along one axis of a hook point's tensor, for ablations and patches. Negative indices count from the end.</summary>
public sealed class AxisSelection
{
    public AxisSelection(AxisRole role, int axis, params int[] indices)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(axis);
        Role = role;
        Axis = axis;
        Indices = (int[])indices.Clone();
    }

    public AxisRole Role { get; }
    public int Axis { get; }
    public IReadOnlyList<int> Indices { get; }

    public override string ToString() => $"{Role.ToString().ToLowerInvariant()}s {{{string.Join(",", Indices)}}}";
}

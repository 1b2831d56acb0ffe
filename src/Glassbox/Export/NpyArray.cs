namespace Glassbox.Export;

/// <summary>A numpy array read from or written to .npy/.npz: float32 or int64 values with a shape.</summary>
public sealed record NpyArray(long[] Shape, float[]? Floats, long[]? Integers)
{
    public static NpyArray Of(long[] shape, float[] values) => new(shape, values, null);
    public static NpyArray Of(long[] shape, long[] values) => new(shape, null, values);
}

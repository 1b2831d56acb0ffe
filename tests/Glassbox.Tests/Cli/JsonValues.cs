using System.Text.Json;
using Glassbox.Tensors;

namespace Glassbox.Tests.Cli;

/// <summary>Reading the analysis commands' JSON back: nested number arrays as float arrays and tensors.</summary>
public static class JsonValues
{
    /// <summary>Runs the command with <c>--json</c>, asserts success and parses stdout.</summary>
    public static JsonElement Run(params string[] args) => JsonDocument.Parse(Cli.Run([.. args, "--json"]).ShouldSucceed().Out).RootElement;

    /// <summary>All numbers of a nested array, flattened in row-major order.</summary>
    public static float[] Flat(JsonElement e)
    {
        var values = new List<float>();
        void Walk(JsonElement x)
        {
            if (x.ValueKind == JsonValueKind.Array) foreach (var item in x.EnumerateArray()) Walk(item);
            else values.Add(x.GetSingle());
        }
        Walk(e);
        return [.. values];
    }

    /// <summary>The shape of a nested array (lengths along its first elements).</summary>
    public static int[] Shape(JsonElement e)
    {
        var shape = new List<int>();
        for (var x = e; x.ValueKind == JsonValueKind.Array; x = x[0]) shape.Add(x.GetArrayLength());
        return [.. shape];
    }

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    public static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();

    /// <summary>Asserts the JSON array holds exactly the tensor's values, in its shape.</summary>
    public static void ShouldEqual(JsonElement e, Tensor expected)
    {
        Shape(e).Should().Equal(expected.Shape.ToArray());
        Flat(e).Should().Equal(expected.ToArray());
    }
}

using Glassbox.Export;
using Glassbox.Loading;

namespace Glassbox.Tests.Loading;

public sealed class SafetensorsCheckpointTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string IndexJson = """
        {
          "metadata": {"total_size": 40},
          "weight_map": {
            "b.weight": "model-00001-of-00002.safetensors",
            "a.weight": "model-00002-of-00002.safetensors",
            "a.bias": "model-00001-of-00002.safetensors",
            "tokens": "model-00002-of-00002.safetensors"
          }
        }
        """;

    /// <summary>Two shards written by our writer, plus an index; returns the index path.</summary>
    private string WriteShards(string indexJson = IndexJson)
    {
        SafetensorsWriter.Write(_folder.File("model-00001-of-00002.safetensors"),
        [
            SafetensorsWriteEntry.Float32("a.bias", [2], new float[] { 0.5f, -0.5f }),
            SafetensorsWriteEntry.Float32("b.weight", [2, 2], new float[] { 1, 2, 3, 4 }),
        ]);
        SafetensorsWriter.Write(_folder.File("model-00002-of-00002.safetensors"),
        [
            SafetensorsWriteEntry.Float32("a.weight", [1, 2], new float[] { 5, 6 }),
            SafetensorsWriteEntry.Int64("tokens", [3], new long[] { 1, 2, 3 }),
        ]);
        string index = _folder.File(SafetensorsCheckpoint.IndexFileName);
        File.WriteAllText(index, indexJson);
        return index;
    }

    private static SafetensorsFormatException OpenFails(string path, string? tensor, params string[] fragments)
    {
        Action open = () => SafetensorsCheckpoint.Open(path).Dispose();
        SafetensorsFormatException e = open.Should().Throw<SafetensorsFormatException>().Which;
        e.TensorName.Should().Be(tensor);
        if (tensor is not null) e.Message.Should().Contain($"'{tensor}'");
        foreach (string fragment in fragments) e.Message.Should().Contain(fragment);
        return e;
    }

    [Fact]
    public void Sharded_checkpoint_opens_from_its_folder_and_from_its_index()
    {
        string index = WriteShards();
        foreach (string path in new[] { _folder.Path, index })
        {
            using SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.Open(path);
            checkpoint.Path.Should().Be(index);
            checkpoint.Names.Should().Equal("b.weight", "a.weight", "a.bias", "tokens");
            checkpoint.Files.Should().HaveCount(2);
            checkpoint.Contains("a.weight").Should().BeTrue();
            checkpoint.Contains("missing").Should().BeFalse();
            checkpoint.FileOf("a.weight").Should().Be(_folder.File("model-00002-of-00002.safetensors"));
            checkpoint.FileOf("b.weight").Should().Be(_folder.File("model-00001-of-00002.safetensors"));
            checkpoint.Info("b.weight").Shape.Should().Equal(2, 2);
            checkpoint.ReadFloat32("b.weight").Should().Equal(1f, 2f, 3f, 4f);
            checkpoint.ReadFloat32("a.weight").Should().Equal(5f, 6f);
            checkpoint.ReadFloat32("a.bias").Should().Equal(0.5f, -0.5f);
            checkpoint.ReadInt64("tokens").Should().Equal(1, 2, 3);
        }
    }

    [Fact]
    public void A_folder_prefers_model_safetensors_and_a_file_opens_by_path()
    {
        WriteShards();
        string single = _folder.File(SafetensorsCheckpoint.SingleFileName);
        SafetensorsWriter.Write(single, [SafetensorsWriteEntry.Float32("only", [1], new float[] { 9 })]);
        using (SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.Open(_folder.Path))
        {
            checkpoint.Path.Should().Be(single);
            checkpoint.Names.Should().Equal("only");
        }
        using (SafetensorsCheckpoint shard = SafetensorsCheckpoint.Open(_folder.File("model-00002-of-00002.safetensors")))
            shard.Names.Should().Equal("a.weight", "tokens");
    }

    [Fact]
    public void Unknown_names_list_close_names()
    {
        string index = WriteShards();
        using SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.Open(index);
        Action read = () => checkpoint.ReadFloat32("a.weigth");
        read.Should().Throw<KeyNotFoundException>()
            .Which.Message.Should().Contain(index).And.Contain("'a.weigth'").And.Contain("'a.weight'");
        Action fileOf = () => checkpoint.FileOf("zzz");
        fileOf.Should().Throw<KeyNotFoundException>().Which.Message.Should().Contain("'zzz'").And.Contain("4 tensors");
    }

    [Fact]
    public void Missing_shard_is_named()
    {
        string index = WriteShards();
        File.Delete(_folder.File("model-00002-of-00002.safetensors"));
        SafetensorsFormatException e = OpenFails(_folder.Path, "a.weight", "'model-00002-of-00002.safetensors'", "does not exist", "2 tensor(s)");
        e.FilePath.Should().Be(index);
    }

    [Fact]
    public void A_name_the_shard_lacks_is_named_with_the_shard()
    {
        string index = WriteShards(IndexJson.Replace("\"tokens\": \"model-00002", "\"tokens\": \"model-00001"));
        SafetensorsFormatException e = OpenFails(index, "tokens", "model-00001-of-00002.safetensors", "does not hold it");
        e.FilePath.Should().Be(index);
    }

    [Theory]
    [InlineData("{\"weight_map\": {\"a\": \"x.safetensors\",}}", "not valid JSON")]
    [InlineData("[1]", "expected an object with a 'weight_map'")]
    [InlineData("{\"metadata\": {}}", "no 'weight_map'")]
    [InlineData("{\"weight_map\": [\"a\"]}", "'weight_map' is a JSON array")]
    [InlineData("{\"weight_map\": {}, \"weight_map\": {}}", "'weight_map' twice")]
    public void Invalid_index_names_the_index(string json, string problem)
    {
        string index = _folder.File(SafetensorsCheckpoint.IndexFileName);
        File.WriteAllText(index, json);
        OpenFails(_folder.Path, null, problem, index);
    }

    [Theory]
    [InlineData("{\"weight_map\": {\"w\": 3}}", "gives 3 as its shard")]
    [InlineData("{\"weight_map\": {\"w\": \"\"}}", "gives \"\" as its shard")]
    [InlineData("{\"weight_map\": {\"w\": \"../outside.safetensors\"}}", "not a file inside the index's folder")]
    [InlineData("{\"weight_map\": {\"w\": \"/etc/passwd\"}}", "not a file inside the index's folder")]
    [InlineData("{\"weight_map\": {\"w\": \"a.safetensors\", \"w\": \"a.safetensors\"}}", "lists this tensor twice")]
    public void Invalid_weight_map_entries_name_the_tensor(string json, string problem)
    {
        string index = _folder.File(SafetensorsCheckpoint.IndexFileName);
        File.WriteAllText(index, json);
        OpenFails(index, "w", problem, index);
    }

    [Fact]
    public void A_malformed_shard_is_named()
    {
        WriteShards();
        string shard = _folder.File("model-00001-of-00002.safetensors");
        File.WriteAllBytes(shard, [1, 2, 3]);
        SafetensorsFormatException e = OpenFails(_folder.Path, null, "shorter than the 8-byte");
        e.FilePath.Should().Be(shard);
    }

    [Fact]
    public void A_folder_without_weights_says_what_it_found()
    {
        File.WriteAllText(_folder.File("pytorch_model.safetensors"), "");
        Action open = () => SafetensorsCheckpoint.Open(_folder.Path);
        open.Should().Throw<FileNotFoundException>()
            .Which.Message.Should().Contain(_folder.Path).And.Contain("model.safetensors.index.json").And.Contain("'pytorch_model.safetensors'");
        Action missing = () => SafetensorsCheckpoint.Open(_folder.File("nothing-here"));
        missing.Should().Throw<FileNotFoundException>().Which.Message.Should().Contain("nothing-here");
    }
}

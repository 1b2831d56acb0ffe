using System.Text.Json.Nodes;
using Glassbox.Tokenizers;

namespace Glassbox.Tests.Tokenizers;

/// <summary>Missing, malformed and unsupported tokenizer files fail with errors that name the file and the problem.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>A tiny valid tokenizer.json: vocabulary a, b, ab, &lt;unk&gt; and the merge "a b".</summary>
    internal static JsonObject TinyTokenizerJson() => JsonNode.Parse("""
        {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
         "normalizer": null, "pre_tokenizer": null, "post_processor": null, "decoder": null,
         "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null, "end_of_word_suffix": null,
                   "fuse_unk": false, "byte_fallback": false, "vocab": {"a": 0, "b": 1, "ab": 2, "<unk>": 3}, "merges": ["a b"]}}
        """)!.AsObject();

    private string Write(string name, string content)
    {
        string path = folder.File(name);
        File.WriteAllText(path, content);
        return path;
    }

    private string WriteJson(Action<JsonObject> edit)
    {
        JsonObject json = TinyTokenizerJson();
        edit(json);
        return Write("tokenizer.json", json.ToJsonString());
    }

    private static TokenizerFormatException FormatError(Action load, string path)
    {
        var error = load.Should().Throw<TokenizerFormatException>().Which;
        error.FilePath.Should().Be(path);
        error.Message.Should().Contain(path);
        return error;
    }

    [Fact]
    public void The_tiny_tokenizer_json_itself_loads()
    {
        var tokenizer = HuggingFaceTokenizer.Load(WriteJson(_ => { }));
        tokenizer.Encode("abba").Should().Equal(2, 1, 0);
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        string missing = Path.Combine(folder.Path, "nope");
        var act = () => TokenizerLoader.Load(missing);
        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*{missing}*");
        TokenizerLoader.TryLoad(missing, out var tokenizer).Should().BeFalse();
        tokenizer.Should().BeNull();
    }

    [Fact]
    public void A_folder_without_a_tokenizer_names_the_folder_and_what_was_looked_for()
    {
        Write("config.json", "{}");
        var act = () => TokenizerLoader.Load(folder.Path);
        act.Should().Throw<FileNotFoundException>()
            .WithMessage($"*{folder.Path}*tokenizer.json*vocab.json + merges.txt*encoder.json + vocab.bpe*tokenizer.bin*tok*.bin*");
        TokenizerLoader.TryLoad(folder.Path, out _).Should().BeFalse();
    }

    [Fact]
    public void A_vocabulary_without_its_merges_names_the_missing_partner()
    {
        string vocab = Write("vocab.json", """{"a": 0}""");
        var act = () => TokenizerLoader.Load(folder.Path);
        act.Should().Throw<FileNotFoundException>().WithMessage("*vocab.json but not merges.txt*");
        var single = () => TokenizerLoader.Load(vocab);
        single.Should().Throw<FileNotFoundException>().WithMessage($"*{vocab}*merges.txt*");
    }

    [Fact]
    public void Missing_files_given_directly_are_named()
    {
        string path = Path.Combine(folder.Path, "sub", "tokenizer.json");
        var json = () => HuggingFaceTokenizer.Load(path);
        json.Should().Throw<FileNotFoundException>().WithMessage($"*{path}*");
        var bin = () => Llama2cTokenizer.Load(Path.Combine(folder.Path, "tokenizer.bin"));
        bin.Should().Throw<FileNotFoundException>().WithMessage("*tokenizer.bin*");
        var merges = () => Gpt2BpeTokenizer.Load(Write("vocab.json", """{"a": 0}"""), Path.Combine(folder.Path, "merges.txt"));
        merges.Should().Throw<FileNotFoundException>().WithMessage("*merges.txt*");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"model\": {\"type\": \"BPE\", ")]
    [InlineData("not json at all")]
    public void Malformed_json_is_reported_with_the_file(string content)
    {
        string path = Write("tokenizer.json", content);
        FormatError(() => TokenizerLoader.Load(folder.Path), path).Problem.Should().Contain("not valid JSON");
        var tryLoad = () => TokenizerLoader.TryLoad(folder.Path, out _);
        tryLoad.Should().Throw<TokenizerFormatException>("a tokenizer file that is there but broken is an error, not an absence");
    }

    [Theory]
    [InlineData("WordPiece")]
    [InlineData("Unigram")]
    [InlineData("WordLevel")]
    public void Unsupported_model_types_are_named(string type)
    {
        string path = WriteJson(j => j["model"]!["type"] = type);
        FormatError(() => HuggingFaceTokenizer.Load(path), path).Problem.Should().Contain($"model type '{type}' is not supported");
    }

    [Theory]
    [InlineData("normalizer", "Precompiled")]
    [InlineData("normalizer", "BertNormalizer")]
    [InlineData("pre_tokenizer", "BertPreTokenizer")]
    [InlineData("decoder", "WordPiece")]
    [InlineData("post_processor", "Frobnicate")]
    public void Unsupported_components_are_named(string section, string type)
    {
        string path = WriteJson(j => j[section] = new JsonObject { ["type"] = type });
        FormatError(() => HuggingFaceTokenizer.Load(path), path).Problem.Should().Contain($"{section} type '{type}' is not supported");
    }

    [Fact]
    public void Unsupported_components_inside_a_sequence_are_named()
    {
        string path = WriteJson(j => j["pre_tokenizer"] = JsonNode.Parse("""{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true}, {"type": "Punctuation"}]}"""));
        FormatError(() => HuggingFaceTokenizer.Load(path), path).Problem.Should().Contain("'Punctuation'");
    }

    [Theory]
    [InlineData("""{"dropout": 0.1}""", "dropout")]
    [InlineData("""{"continuing_subword_prefix": "##"}""", "continuing_subword_prefix")]
    [InlineData("""{"end_of_word_suffix": "</w>"}""", "end_of_word_suffix")]
    [InlineData("""{"merges": ["a c"]}""", "merge 1 ('a c') uses 'c'")]
    [InlineData("""{"merges": ["b b"]}""", "makes 'bb', which is not in the vocabulary")]
    [InlineData("""{"merges": ["ab"]}""", "merge 1")]
    [InlineData("""{"merges": [["a"]]}""", "merge 1")]
    [InlineData("""{"vocab": ["a", "b"]}""", "model.vocab must be a JSON object")]
    [InlineData("""{"vocab": {"a": -1}}""", "'a'")]
    [InlineData("""{"unk_token": "<nope>"}""", "'<nope>'")]
    public void Bad_model_fields_are_named(string patch, string expected)
    {
        string path = WriteJson(j =>
        {
            foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject()) j["model"]![key] = value?.DeepClone();
        });
        FormatError(() => HuggingFaceTokenizer.Load(path), path).Problem.Should().Contain(expected);
    }

    [Fact]
    public void A_json_without_a_model_is_not_a_tokenizer_json()
    {
        string path = Write("tokenizer.json", """{"version": "1.0"}""");
        FormatError(() => HuggingFaceTokenizer.Load(path), path).Problem.Should().Contain("no \"model\"");
    }

    [Fact]
    public void A_template_naming_an_undefined_special_token_is_an_error()
    {
        string path = WriteJson(j => j["post_processor"] = JsonNode.Parse("""{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {}}"""));
        FormatError(() => HuggingFaceTokenizer.Load(path), path).Problem.Should().Contain("'<s>'");
    }

    [Fact]
    public void Bad_gpt2_files_are_named()
    {
        string vocab = Write("vocab.json", """["a", "b"]""");
        string merges = Write("merges.txt", "#version: 0.2\na b\n");
        FormatError(() => Gpt2BpeTokenizer.Load(vocab, merges), vocab).Problem.Should().Contain("JSON object");

        vocab = Write("vocab.json", """{"a": 0, "b": 1, "ab": 2}""");
        merges = Write("merges.txt", "#version: 0.2\na b\nab  b\n");
        FormatError(() => Gpt2BpeTokenizer.Load(vocab, merges), merges).Problem.Should().Contain("line 3");

        merges = Write("merges.txt", "#version: 0.2\na b\nab c\n");
        FormatError(() => Gpt2BpeTokenizer.Load(vocab, merges), merges).Problem.Should().Contain("'c'");
    }

    [Fact]
    public void A_truncated_tokenizer_bin_is_named()
    {
        byte[] whole = File.ReadAllBytes(Path.Combine(TokenizerFixtures.Folder("llama2c-tok512"), "tok512.bin"));
        foreach (int length in new[] { 3, 4, 10, whole.Length / 2, whole.Length - 1 })
        {
            string path = folder.File($"cut{length}.bin");
            File.WriteAllBytes(path, whole[..length]);
            FormatError(() => Llama2cTokenizer.Load(path), path);
        }
    }

    [Fact]
    public void A_tokenizer_bin_cut_between_pieces_is_caught_by_its_size()
    {
        string path = folder.File("tokenizer.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(Path.Combine(TokenizerFixtures.Folder("llama2c-tok512"), "tok512.bin")));
        FormatError(() => Llama2cTokenizer.Load(path, vocabSize: 600), path).Problem.Should().Contain("holds 512 pieces, the model needs 600");
        Llama2cTokenizer.Load(path, vocabSize: 512).VocabSize.Should().Be(512);
        FormatError(() => Llama2cTokenizer.Load(path, vocabSize: 300), path).Problem.Should().Contain("bytes after the 300 pieces");

        // Only the first 100 pieces: every piece is whole, but the byte pieces are not all there.
        byte[] whole = File.ReadAllBytes(path);
        int offset = 4;
        for (int i = 0; i < 100; i++) offset += 8 + BitConverter.ToInt32(whole, offset + 4);
        File.WriteAllBytes(path, whole[..offset]);
        FormatError(() => Llama2cTokenizer.Load(path), path).Problem.Should().Contain("holds 100 pieces");
    }

    [Fact]
    public void Something_else_named_bin_is_not_a_tokenizer()
    {
        string path = Write("tokenizer.bin", """{"this": "is json"}""");
        FormatError(() => TokenizerLoader.Load(folder.Path), path).Problem.Should().Contain("not a llama2.c tokenizer");
        string model = SharedFiles.Reference("stories260K/stories260K.bin");
        FormatError(() => Llama2cTokenizer.Load(model), model);
    }

    [Fact]
    public void An_unknown_single_file_is_named()
    {
        string path = Write("tokenizer.model", "protobuf");
        FormatError(() => TokenizerLoader.Load(path), path).Problem.Should().Contain("not a tokenizer file");
    }
}

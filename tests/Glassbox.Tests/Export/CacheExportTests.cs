using System.IO.Compression;
using System.Text;
using Glassbox.Analysis;
using Glassbox.Export;
using Glassbox.Hooks;
using Glassbox.Models;
using Glassbox.Tensors;

namespace Glassbox.Tests.Export;

public class CacheExportTests
{
    static readonly Lazy<HookedTransformer> Tiny = new(() => HookedTransformer.FromPretrainedNoProcessing(SharedFiles.Reference("gpt2-tiny")));
    static readonly IntTensor Tokens = new([5, 17, 42, 3, 96, 0, 11, 64, 8, 23], 2, 5);

    [Theory]
    [InlineData("cache.safetensors")]
    [InlineData("cache.npz")]
    public void ACacheRoundTripsAndStaysUsableForAnalysis(string fileName)
    {
        var model = Tiny.Value;
        using var folder = new TempFolder();
        var (_, cache) = model.RunWithCache(Tokens);
        using (cache)
        {
            ActivationCacheFiles.Save(cache, folder.File(fileName), Tokens);
            using var loaded = ActivationCacheFiles.Load(model, folder.File(fileName));
            loaded.Keys.Should().Equal(cache.Keys);
            foreach (var name in cache.Keys) loaded[name].ToArray().Should().Equal(cache[name].ToArray(), name);
            loaded.DecomposeResid().Sum().MaxAbsDifference(cache["resid_post", 1]).Should().BeLessThan(1e-5f);
        }
    }

    [Fact]
    public void NpzArchivesHoldNpyEntriesNumpyCanLoad()
    {
        using var folder = new TempFolder();
        NpzWriter.Write(folder.File("a.npz"), [
            KeyValuePair.Create("x", NpyArray.Of([2, 3], new float[] { 1, 2, 3, 4, 5, 6 })),
            KeyValuePair.Create("tokens", NpyArray.Of([3], new long[] { 7, 8, 9 })),
        ]);
        using (var zip = ZipFile.OpenRead(folder.File("a.npz")))
        {
            zip.Entries.Select(e => e.FullName).Should().Equal("x.npy", "tokens.npy");
            using var reader = new StreamReader(zip.Entries[0].Open(), Encoding.Latin1);
            var head = new char[128];
            reader.ReadBlock(head, 0, 128);
            new string(head).Should().Contain("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
        }
        var arrays = NpyReader.ReadArchive(folder.File("a.npz"));
        arrays["x"].Floats.Should().Equal(1, 2, 3, 4, 5, 6);
        arrays["x"].Shape.Should().Equal(2, 3);
        arrays["tokens"].Integers.Should().Equal(7, 8, 9);
    }

    [Fact]
    public void NpyFilesOfOtherWidthsAreWidenedOrRefused()
    {
        using var folder = new TempFolder();
        File.WriteAllBytes(folder.File("d.npy"), Npy("<f8", "(2,)", BitConverter.GetBytes(1.5).Concat(BitConverter.GetBytes(-2.25)).ToArray()));
        NpyReader.Read(folder.File("d.npy")).Floats.Should().Equal(1.5f, -2.25f);
        File.WriteAllBytes(folder.File("i.npy"), Npy("<i4", "(2,)", BitConverter.GetBytes(3).Concat(BitConverter.GetBytes(-4)).ToArray()));
        NpyReader.Read(folder.File("i.npy")).Integers.Should().Equal(3, -4);
        File.WriteAllBytes(folder.File("c.npy"), Npy("<c8", "(1,)", new byte[8]));
        var complex = () => NpyReader.Read(folder.File("c.npy"));
        complex.Should().Throw<InvalidDataException>().WithMessage("*c.npy*c8*not supported*");
        File.WriteAllBytes(folder.File("short.npy"), Npy("<f4", "(4,)", new byte[8]));
        var truncated = () => NpyReader.Read(folder.File("short.npy"));
        truncated.Should().Throw<InvalidDataException>().WithMessage("*short.npy*ends before 4*");
    }

    [Fact]
    public void AFailedExportLeavesNoFile()
    {
        using var folder = new TempFolder();
        IEnumerable<KeyValuePair<string, NpyArray>> Failing()
        {
            yield return KeyValuePair.Create("x", NpyArray.Of([1], new float[] { 1 }));
            throw new IOException("disk full");
        }
        var act = () => NpzWriter.Write(folder.File("partial.npz"), Failing());
        act.Should().Throw<IOException>();
        folder.Entries().Should().BeEmpty("no half-written archive and no temporary file stays behind");
    }

    static byte[] Npy(string descr, string shape, byte[] data)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        dict = dict.PadRight(64 - 10 - 1) + "\n";
        return [0x93, .. "NUMPY"u8.ToArray(), 1, 0, (byte)dict.Length, 0, .. Encoding.ASCII.GetBytes(dict), .. data];
    }
}

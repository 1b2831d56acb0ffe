using System.Buffers.Binary;
using System.IO.Compression;

namespace Glassbox.Tests.Visualization;

/// <summary>
/// A minimal PNG decoder for the screenshots Chromium writes: 8-bit RGB or RGBA, not interlaced.
/// Enough to ask whether a picture is blank; anything else is refused with a clear message.
/// </summary>
public sealed class Png
{
    static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];

    Png(int width, int height, byte[] rgb)
    {
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Pixels, three bytes each (alpha dropped), row by row.</summary>
    public byte[] Rgb { get; }

    public (byte R, byte G, byte B) this[int x, int y] => (Rgb[(y * Width + x) * 3], Rgb[(y * Width + x) * 3 + 1], Rgb[(y * Width + x) * 3 + 2]);

    public static Png Read(string path) => Decode(File.ReadAllBytes(path));

    public static Png Decode(byte[] file)
    {
        if (file.Length < 8 || !file.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("Not a PNG file.");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (int at = 8; at + 12 <= file.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
            var data = file.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                byte depth = data[8], colorType = data[9], interlace = data[12];
                if (depth != 8 || colorType is not (2 or 6) || interlace != 0)
                    throw new NotSupportedException($"PNG with bit depth {depth}, colour type {colorType}, interlace {interlace}: only 8-bit RGB/RGBA, non-interlaced.");
                channels = colorType == 6 ? 4 : 3;
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }
            else if (type == "IEND")
            {
                break;
            }
            at += 12 + length;
        }
        if (channels == 0) throw new InvalidDataException("PNG without an IHDR chunk.");

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.GetBuffer();
        int stride = width * channels;
        if (inflated.Length < (long)(stride + 1) * height) throw new InvalidDataException("PNG image data is truncated.");

        var previous = new byte[stride];
        var current = new byte[stride];
        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int rowStart = y * (stride + 1);
            byte filter = raw[rowStart];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= channels ? current[i - channels] : 0, b = previous[i], c = i >= channels ? previous[i - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter}."),
                };
                current[i] = (byte)(raw[rowStart + 1 + i] + predictor);
            }
            for (int x = 0; x < width; x++)
                for (int k = 0; k < 3; k++) rgb[(y * width + x) * 3 + k] = current[x * channels + k];
            (previous, current) = (current, previous);
        }
        return new Png(width, height, rgb);
    }

    /// <summary>How many different colours the picture has (a blank page has one).</summary>
    public int DistinctColors() => Enumerable.Range(0, Width * Height).Select(p => (Rgb[p * 3] << 16) | (Rgb[p * 3 + 1] << 8) | Rgb[p * 3 + 2]).Distinct().Count();

    /// <summary>The share of pixels that are not (nearly) white.</summary>
    public double NonWhiteShare() =>
        (double)Enumerable.Range(0, Width * Height).Count(p => Rgb[p * 3] < 245 || Rgb[p * 3 + 1] < 245 || Rgb[p * 3 + 2] < 245) / (Width * Height);

    /// <summary>The share of pixels that are clearly red (R well above G and B) or clearly blue.</summary>
    public (double Red, double Blue) RedAndBlueShares()
    {
        int red = 0, blue = 0;
        for (int p = 0; p < Width * Height; p++)
        {
            int r = Rgb[p * 3], g = Rgb[p * 3 + 1], b = Rgb[p * 3 + 2];
            if (r > g + 40 && r > b + 40) red++;
            if (b > r + 40 && b > g + 10) blue++;
        }
        return ((double)red / (Width * Height), (double)blue / (Width * Height));
    }

    static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}

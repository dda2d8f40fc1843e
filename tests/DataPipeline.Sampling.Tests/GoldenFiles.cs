using System.Runtime.InteropServices;
using System.Text.Json;

namespace DataPipeline.Sampling.Tests;

/// <summary>Locates and reads shared/golden/dsir (the repo lives at X/main, shared data at X/shared).</summary>
internal static class GoldenFiles
{
    /// <summary>shared/golden/dsir.</summary>
    public static string DsirDir => Path.Combine(SharedFolder.Root, "golden", "dsir");

    /// <summary>A file under golden/dsir, e.g. "no_avx512/weights.jsonl".</summary>
    public static string Dsir(string relative) => Path.Combine(DsirDir, relative);

    /// <summary>The raw little-endian float64 values of a .bin file.</summary>
    public static double[] ReadFloat64(string relative)
    {
        byte[] bytes = File.ReadAllBytes(Dsir(relative));
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("Golden .bin files are little-endian.");
        }

        return MemoryMarshal.Cast<byte, double>(bytes).ToArray();
    }

    public static JsonDocument ReadJson(string relative) => JsonDocument.Parse(File.ReadAllBytes(Dsir(relative)));

    /// <summary>The id and text of every line of a golden jsonl input, in file order.</summary>
    public static List<(string Id, string Text)> ReadDocuments(string relative)
    {
        var docs = new List<(string, string)>();
        foreach (string line in File.ReadLines(Dsir(relative)))
        {
            using var doc = JsonDocument.Parse(line);
            docs.Add((doc.RootElement.GetProperty("id").GetString()!, doc.RootElement.GetProperty("text").GetString()!));
        }

        return docs;
    }

}

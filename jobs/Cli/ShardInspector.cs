using System.Globalization;
using System.Text;
using DataPipeline.Tokenize.Mds;
using DataPipeline.Tokenize.Megatron;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Jobs.Cli;

/// <summary>What inspect shows for token datasets: MDS folders (index.json) and Megatron .bin/.idx pairs.</summary>
internal static class ShardInspector
{
    /// <summary>Inspects <paramref name="path"/> when it is a token dataset; false when it is not one.</summary>
    public static bool TryInspect(string path, string? tokenizerName, int samples, TextWriter output)
    {
        var megatronPrefix = MegatronPrefix(path);
        if (megatronPrefix is not null)
        {
            Megatron(megatronPrefix, tokenizerName, samples, output);
            return true;
        }
        if (Directory.Exists(path) && File.Exists(Path.Combine(path, MdsIndex.FileName)) && File.ReadAllText(Path.Combine(path, MdsIndex.FileName)).Contains("\"shards\"", StringComparison.Ordinal))
        {
            Mds(path, tokenizerName, samples, output);
            return true;
        }
        return false;
    }

    private static string? MegatronPrefix(string path)
    {
        foreach (var candidate in new[] { path, Path.Combine(path, "tokens") })
        {
            var prefix = candidate.EndsWith(".idx", StringComparison.Ordinal) || candidate.EndsWith(".bin", StringComparison.Ordinal) ? candidate[..^4] : candidate;
            if (File.Exists(prefix + ".idx") && File.Exists(prefix + ".bin"))
            {
                return prefix;
            }
        }
        return null;
    }

    private static TextTokenizer? Tokenizer(string? name) =>
        name is null ? null : TokenizerFactory.Create(DataPipeline.Tokenize.Steps.TokenizerSpecs.Parse(name, "auto", null, null, Directory.GetCurrentDirectory()));

    private static void Mds(string dir, string? tokenizerName, int samples, TextWriter output)
    {
        using var reader = MdsReader.Open(dir);
        var first = reader.Shards.Count > 0 ? reader.Shards[0] : null;
        var columns = first is null ? "" : string.Join(", ", first.Config.ColumnNames.Zip(first.Config.ColumnEncodings, (n, e) => $"{n} ({e})"));
        long raw = reader.Shards.Sum(s => s.RawData.Bytes);
        long zipped = reader.Shards.Sum(s => s.ZipData?.Bytes ?? s.RawData.Bytes);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{dir}: MDS dataset, {reader.SampleCount:N0} samples in {reader.Shards.Count:N0} shards, {raw:N0} bytes raw, {zipped:N0} on disk; compression {first?.Config.Compression ?? "none"}"));
        output.WriteLine("columns: " + columns);
        bool hasTokens = first?.Config.ColumnNames.Contains("tokens") == true;
        if (hasTokens && reader.SampleCount > 0)
        {
            var lengths = reader.GetSample(0).GetArray<int>("tokens").Length;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tokens: {lengths:N0} per sample (first sample), about {lengths * reader.SampleCount:N0} in all"));
        }
        var tokenizer = Tokenizer(tokenizerName);
        for (long i = 0; i < Math.Min(samples, reader.SampleCount); i++)
        {
            var sample = reader.GetSample(i);
            if (hasTokens)
            {
                var ids = sample.GetArray<int>("tokens").ToArray();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"--- sample {i}: {ids.Length} tokens: [{string.Join(", ", ids.Take(16))}{(ids.Length > 16 ? ", ..." : "")}]"));
                if (tokenizer is not null)
                {
                    var text = tokenizer.Decode(ids);
                    output.WriteLine("  decoded: " + Shorten(text));
                }
            }
        }
    }

    private static void Megatron(string prefix, string? tokenizerName, int samples, TextWriter output)
    {
        using var reader = MegatronReader.Open(prefix);
        long tokens = reader.Index.SequenceLengths.Sum(l => (long)l);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{prefix}.bin/.idx: Megatron indexed dataset (MMIDIDX v1), dtype {reader.DType}, {reader.DocumentCount:N0} documents, {reader.SequenceCount:N0} sequences, {tokens:N0} tokens"));
        var tokenizer = Tokenizer(tokenizerName);
        for (int i = 0; i < Math.Min(samples, reader.SequenceCount); i++)
        {
            var ids = reader.ReadSequence(i);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"--- sequence {i}: {ids.Length} tokens: [{string.Join(", ", ids.Take(16))}{(ids.Length > 16 ? ", ..." : "")}]"));
            if (tokenizer is not null)
            {
                output.WriteLine("  decoded: " + Shorten(tokenizer.Decode(ids.Select(x => (int)x))));
            }
        }
    }

    private static string Shorten(string text)
    {
        var s = text.Length > 300 ? text[..300] + "..." : text;
        return new StringBuilder(s).Replace("\n", "\\n").ToString();
    }
}

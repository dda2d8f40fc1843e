using System.Collections.Concurrent;
using System.IO.Compression;
using System.IO.Hashing;
using System.Reflection;
using System.Text;
using DataPipeline.Core.Errors;

namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// A tiktoken vocabulary as byte sequence → rank, laid out for <see cref="TiktokenBpe"/>: every
/// two-byte sequence in a flat table (the first round of every merge looks up only those), longer
/// ones in an open-addressing table over one byte arena. Read from the same files
/// Microsoft.ML.Tokenizers reads (a .tiktoken file, or the one a bundled encoding's data package
/// embeds), with its rules: an optional "Capacity: N" line, then "base64 rank" lines, or base64
/// lines alone whose rank is their line number. Immutable once built, so every encoder of a
/// process shares one.
/// </summary>
public sealed class TiktokenRanks
{
    private const int NoRank = -1;
    private static readonly ConcurrentDictionary<string, Lazy<TiktokenRanks>> Loaded = new(StringComparer.Ordinal);

    private readonly int[] _pairs = new int[1 << 16];
    private readonly int[] _singles = new int[256];
    private readonly ulong[] _hashes;
    private readonly int[] _starts;
    private readonly int[] _ranks;
    private readonly byte[] _lengths;
    private readonly byte[] _bytes;
    private readonly int _mask;

    private TiktokenRanks(List<(byte[] Bytes, int Rank)> tokens)
    {
        Array.Fill(_pairs, NoRank);
        Array.Fill(_singles, NoRank);
        int longer = tokens.Count(t => t.Bytes.Length > 2 && t.Bytes.Length <= byte.MaxValue);
        int slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, longer * 2));
        _mask = slots - 1;
        _hashes = new ulong[slots];
        _starts = new int[slots];
        _ranks = new int[slots];
        _lengths = new byte[slots];
        _bytes = new byte[tokens.Where(t => t.Bytes.Length > 2 && t.Bytes.Length <= byte.MaxValue).Sum(t => t.Bytes.Length)];
        int used = 0;
        foreach (var (bytes, rank) in tokens)
        {
            switch (bytes.Length)
            {
                case 0:
                    continue;
                case 1:
                    _singles[bytes[0]] = rank;
                    continue;
                case 2:
                    _pairs[bytes[0] << 8 | bytes[1]] = rank;
                    continue;
                case > byte.MaxValue:
                    continue; // no tiktoken vocabulary has one; such a piece takes the tokenizer's own path
            }
            ulong hash = Hash(bytes);
            int i = (int)hash & _mask;
            while (_lengths[i] != 0)
            {
                if (_hashes[i] == hash && _bytes.AsSpan(_starts[i], _lengths[i]).SequenceEqual(bytes))
                {
                    break; // a repeated line: the later rank wins, as in a dictionary
                }
                i = (i + 1) & _mask;
            }
            if (_lengths[i] == 0)
            {
                bytes.CopyTo(_bytes, used);
                _starts[i] = used;
                _lengths[i] = (byte)bytes.Length;
                _hashes[i] = hash;
                used += bytes.Length;
            }
            _ranks[i] = rank;
        }
        Count = tokens.Count;
    }

    /// <summary>Lines read (tokens, not counting special tokens, which a tiktoken file does not hold).</summary>
    public int Count { get; }

    /// <summary>The rank of <paramref name="bytes"/>, or -1 when they are not a token.</summary>
    public int RankOf(ReadOnlySpan<byte> bytes)
    {
        switch (bytes.Length)
        {
            case 0:
                return NoRank;
            case 1:
                return _singles[bytes[0]];
            case 2:
                return _pairs[bytes[0] << 8 | bytes[1]];
            case > byte.MaxValue:
                return NoRank;
        }
        ulong hash = Hash(bytes);
        int i = (int)hash & _mask;
        while (_lengths[i] != 0)
        {
            if (_hashes[i] == hash && _lengths[i] == bytes.Length && _bytes.AsSpan(_starts[i], bytes.Length).SequenceEqual(bytes))
            {
                return _ranks[i];
            }
            i = (i + 1) & _mask;
        }
        return NoRank;
    }

    /// <summary>The rank of the two bytes <paramref name="first"/>, <paramref name="second"/> as one token, or -1.</summary>
    public int PairRank(byte first, byte second) => _pairs[first << 8 | second];

    /// <summary>The vocabulary a bundled encoding's Microsoft.ML.Tokenizers.Data.* package embeds (read once per process).</summary>
    public static TiktokenRanks ForBundledEncoding(string encoding)
    {
        var (package, file) = encoding switch
        {
            "cl100k_base" => ("Cl100kBase", "cl100k_base.tiktoken"),
            "o200k_base" => ("O200kBase", "o200k_base.tiktoken"),
            "r50k_base" => ("R50kBase", "r50k_base.tiktoken"),
            "gpt2" => ("Gpt2", "gpt2.tiktoken"),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "not a bundled encoding"),
        };
        return Loaded.GetOrAdd("bundled:" + encoding, _ => new Lazy<TiktokenRanks>(() =>
        {
            var assembly = Assembly.Load("Microsoft.ML.Tokenizers.Data." + package);
            string name = assembly.GetManifestResourceNames().Single(n => n.Contains(file, StringComparison.Ordinal));
            using var resource = assembly.GetManifestResourceStream(name)
                ?? throw new DataPipelineException($"tokenizer data package {package} has no {file}");
            using var inflated = name.EndsWith(".deflate", StringComparison.Ordinal) ? new DeflateStream(resource, CompressionMode.Decompress) : resource;
            return Read(inflated, name);
        })).Value;
    }

    /// <summary>A .tiktoken file's vocabulary (read once per process for a given size and time of change).</summary>
    public static TiktokenRanks ForFile(string path)
    {
        var info = new FileInfo(path);
        string key = $"file:{info.FullName}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        return Loaded.GetOrAdd(key, _ => new Lazy<TiktokenRanks>(() =>
        {
            using var stream = File.OpenRead(path);
            return Read(stream, path);
        })).Value;
    }

    /// <summary>Parses a tiktoken vocabulary as Microsoft.ML.Tokenizers' LoadTiktokenBpe does.</summary>
    public static TiktokenRanks Read(Stream stream, string name)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var tokens = new List<(byte[], int)>(200_000);
        string? line = reader.ReadLine();
        if (line is not null && line.StartsWith("Capacity: ", StringComparison.Ordinal))
        {
            line = reader.ReadLine();
        }
        while (line is not null && line.Length == 0)
        {
            line = reader.ReadLine();
        }
        int lineNumber = 0;
        try
        {
            if (line is not null && !line.Contains(' ', StringComparison.Ordinal))
            {
                // Base64 alone: the rank is the line's number, counting blank lines too.
                do
                {
                    if (line.Length > 0)
                    {
                        tokens.Add((Convert.FromBase64String(line), lineNumber));
                    }
                    lineNumber++;
                }
                while ((line = reader.ReadLine()) is not null);
            }
            for (; line is not null; line = reader.ReadLine(), lineNumber++)
            {
                if (line.Length == 0)
                {
                    continue;
                }
                int space = line.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0 || !int.TryParse(line.AsSpan(space + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int rank))
                {
                    throw new FormatException("expected 'base64 rank'");
                }
                tokens.Add((Convert.FromBase64String(line[..space]), rank));
            }
        }
        catch (FormatException e)
        {
            throw new DataPipelineException($"tokenizer: '{name}' line {lineNumber + 1}: not a tiktoken vocabulary line ({e.Message})", e);
        }
        return new TiktokenRanks(tokens);
    }

    private static ulong Hash(ReadOnlySpan<byte> bytes) => XxHash3.HashToUInt64(bytes);
}

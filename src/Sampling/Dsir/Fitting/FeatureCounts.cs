using System.Buffers.Binary;
using DataPipeline.Sampling.Dsir.Features;

namespace DataPipeline.Sampling.Dsir.Fitting;

/// <summary>
/// Summed hashed n-gram counts over many documents (upstream: the int64 <c>counts</c> array of
/// <c>_fit_bow</c>). Integer sums are exact and order-free, so per-task counts merge into exactly
/// what one sequential pass gives.
/// </summary>
public sealed class FeatureCounts
{
    // File layout (little-endian): magic "DSIRCNT1", int32 bucket count, int64 documents,
    // int64 total, then one int64 count per bucket. Nothing upstream to match: DSIR keeps counts in memory.
    private static ReadOnlySpan<byte> Magic => "DSIRCNT1"u8;

    private readonly long[] _counts;

    /// <summary>Creates zero counts over <paramref name="numBuckets"/> buckets.</summary>
    public FeatureCounts(int numBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numBuckets);
        _counts = new long[numBuckets];
    }

    /// <summary>Number of buckets.</summary>
    public int NumBuckets => _counts.Length;

    /// <summary>Per-bucket counts.</summary>
    public ReadOnlySpan<long> Counts => _counts;

    /// <summary>Sum of all counts (upstream <c>counts.sum()</c>).</summary>
    public long Total { get; private set; }

    /// <summary>Number of documents added (merged counts add up).</summary>
    public long Documents { get; private set; }

    /// <summary>Adds one document's features.</summary>
    public void Add(DocumentFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        RequireSameBuckets(features.NumBuckets);
        foreach (int bucket in features.Buckets)
        {
            _counts[bucket] += features.CountOf(bucket);
        }

        Total += features.TotalNgrams;
        Documents++;
    }

    /// <summary>Adds another set of counts (e.g. another task's).</summary>
    public void Merge(FeatureCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        RequireSameBuckets(other.NumBuckets);
        for (int b = 0; b < _counts.Length; b++)
        {
            _counts[b] = checked(_counts[b] + other._counts[b]);
        }

        Total = checked(Total + other.Total);
        Documents += other.Documents;
    }

    /// <summary>Writes the counts in this type's binary format.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[8 + 4 + 8 + 8];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), _counts.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(12), Documents);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(20), Total);
        stream.Write(header);
        var body = new byte[_counts.Length * sizeof(long)];
        for (int b = 0; b < _counts.Length; b++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(b * sizeof(long)), _counts[b]);
        }

        stream.Write(body);
    }

    /// <summary>Reads counts written by <see cref="Save(Stream)"/>; checks the header and that the total adds up.</summary>
    public static FeatureCounts Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[28];
        stream.ReadExactly(header);
        if (!header.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw new InvalidDataException("Not a DSIR feature-counts file (bad magic).");
        }

        int numBuckets = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
        if (numBuckets <= 0)
        {
            throw new InvalidDataException($"Invalid bucket count {numBuckets}.");
        }

        var counts = new FeatureCounts(numBuckets)
        {
            Documents = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(12)),
        };
        long total = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(20));
        var body = new byte[numBuckets * sizeof(long)];
        stream.ReadExactly(body);
        long sum = 0;
        for (int b = 0; b < numBuckets; b++)
        {
            counts._counts[b] = BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(b * sizeof(long)));
            sum = checked(sum + counts._counts[b]);
        }

        if (sum != total)
        {
            throw new InvalidDataException($"Feature-counts file is corrupt: counts sum to {sum}, header says {total}.");
        }

        counts.Total = total;
        return counts;
    }

    /// <summary>Saves to a file (written to a temporary name first, then moved, so a crash leaves no half file).</summary>
    public void Save(string path)
    {
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            Save(stream);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Loads from a file written by <see cref="Save(string)"/>.</summary>
    public static FeatureCounts Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    private void RequireSameBuckets(int numBuckets)
    {
        if (numBuckets != _counts.Length)
        {
            throw new ArgumentException($"Bucket counts differ: {numBuckets} vs {_counts.Length}.");
        }
    }
}

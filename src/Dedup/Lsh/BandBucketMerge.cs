using System.Buffers.Binary;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// The bucket pass: for one band (or the exact hashes) and optionally one slice of the hash range, so a
/// band can be split over several workers, k-way merges the sorted run files of every signature task
/// and writes a pair for each document that shares its hash with an earlier one. Memory is one
/// buffer per run file plus a heap of one entry per file, whatever the data size.
/// </summary>
/// <remarks>
/// Pairs form a star to the smallest (rank, doc) of each equal-hash run rather than datatrove's chain
/// A–B, B–C: the same n − 1 edges and the same clusters, but every edge touches the document that
/// will be kept, which is the pair the optional Jaccard verification should look at. Workers split
/// the hash range evenly (hashes are uniform) instead of sampling the first file's boundaries.
/// </remarks>
public static class BandBucketMerge
{
    /// <summary>
    /// Merges band <paramref name="band"/> (<see cref="BandFiles.ExactBand"/> for exact hashes) for hash-range
    /// worker <paramref name="worker"/> of <paramref name="workers"/> into <paramref name="pairFile"/>; returns the number of pairs written.
    /// </summary>
    public static long Run(string signatureRoot, int band, string pairFile, int worker = 0, int workers = 1, int bufferRecords = 8192)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(worker);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(worker, workers);
        ulong hashMin = (ulong)(((UInt128)worker << 64) / (uint)workers);
        ulong? hashEnd = worker + 1 == workers ? null : (ulong)(((UInt128)(worker + 1) << 64) / (uint)workers);

        var files = BandFiles.RunFiles(signatureRoot, band);
        var readers = new List<RunFileReader>(files.Length);
        long pairs = 0;
        try
        {
            foreach (var f in files) readers.Add(new RunFileReader(f, hashMin, bufferRecords));
            var heap = new PriorityQueue<int, (UInt128 Hash, uint Rank, uint Doc)>(readers.Count);
            for (int i = 0; i < readers.Count; i++)
            {
                if (readers[i].Header.Band != band) throw new InvalidDataException($"{files[i]}: holds band {readers[i].Header.Band}, expected {band}");
                if (readers[i].TryRead(out var key, out uint doc) && InRange(key, hashEnd))
                {
                    heap.Enqueue(i, (key, (uint)readers[i].Header.Rank, doc));
                }
            }
            BandFiles.WriteAtomically(pairFile, s =>
            {
                var buffer = new byte[BandFiles.PairHeaderSize + 4096 * BandFiles.PairRecordSize];
                BandFiles.PairMagic.CopyTo(buffer, 0);
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(8), band);
                BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(12), worker);
                int used = BandFiles.PairHeaderSize;
                bool haveRun = false;
                (UInt128 Hash, uint Rank, uint Doc) first = default, previous = default;
                while (heap.TryDequeue(out int i, out var key))
                {
                    if (haveRun && key.CompareTo(previous) < 0)
                    {
                        throw new InvalidDataException($"{files[i]}: records out of order (a signature file is corrupt or was not sorted)");
                    }
                    previous = key;
                    if (haveRun && key.Hash == first.Hash)
                    {
                        if (used + BandFiles.PairRecordSize > buffer.Length)
                        {
                            s.Write(buffer, 0, used);
                            used = 0;
                        }
                        var rec = buffer.AsSpan(used, BandFiles.PairRecordSize);
                        BinaryPrimitives.WriteUInt32LittleEndian(rec, first.Rank);
                        BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], first.Doc);
                        BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], key.Rank);
                        BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], key.Doc);
                        used += BandFiles.PairRecordSize;
                        pairs++;
                    }
                    else
                    {
                        first = key;
                        haveRun = true;
                    }
                    if (readers[i].TryRead(out var next, out uint nextDoc) && InRange(next, hashEnd))
                    {
                        heap.Enqueue(i, (next, key.Rank, nextDoc));
                    }
                }
                s.Write(buffer, 0, used);
            });
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
        return pairs;
    }

    private static bool InRange(UInt128 key, ulong? end) => end is null || (ulong)(key >> 64) < end.Value;

    /// <summary>The band a pair file holds (<see cref="BandFiles.ExactBand"/> for exact hashes).</summary>
    public static int BandOf(string path)
    {
        using var fs = File.OpenRead(path);
        var header = new byte[BandFiles.PairHeaderSize];
        fs.ReadExactly(header);
        BandFiles.CheckMagic(header, BandFiles.PairMagic, path);
        return BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(8));
    }

    /// <summary>Reads every pair of one .dups file.</summary>
    public static IEnumerable<DuplicatePair> ReadPairs(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var header = new byte[BandFiles.PairHeaderSize];
        if (fs.Length < header.Length) throw new InvalidDataException($"{path}: truncated");
        fs.ReadExactly(header);
        BandFiles.CheckMagic(header, BandFiles.PairMagic, path);
        if ((fs.Length - BandFiles.PairHeaderSize) % BandFiles.PairRecordSize != 0)
        {
            throw new InvalidDataException($"{path}: length is not a whole number of pair records (truncated)");
        }
        var rec = new byte[BandFiles.PairRecordSize * 4096];
        long remaining = fs.Length - BandFiles.PairHeaderSize;
        while (remaining > 0)
        {
            int n = (int)Math.Min(rec.Length, remaining);
            fs.ReadExactly(rec, 0, n);
            remaining -= n;
            for (int o = 0; o < n; o += BandFiles.PairRecordSize)
            {
                yield return new DuplicatePair(
                    BinaryPrimitives.ReadUInt32LittleEndian(rec.AsSpan(o)), BinaryPrimitives.ReadUInt32LittleEndian(rec.AsSpan(o + 4)),
                    BinaryPrimitives.ReadUInt32LittleEndian(rec.AsSpan(o + 8)), BinaryPrimitives.ReadUInt32LittleEndian(rec.AsSpan(o + 12)));
            }
        }
    }
}

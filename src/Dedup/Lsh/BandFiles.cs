using System.Buffers.Binary;
using System.Text;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// On-disk formats of the dedup stages (all little-endian, fixed-size records so a reader can seek by
/// record number, as datatrove's stage 2 does).
/// <code>
/// Signature run     {sigs}/part-{rank:00000}/band_{band:000}-{run:0000}.bandsig — signature pass, per (task, band, run)
///   header 32 bytes: "DPMHBND1" | u32 band | u32 rows | u32 rank | u32 documents seen so far | u64 record count
///   record 12 bytes: u64 band hash | u32 document index within the task
/// Exact-hash run    {sigs}/part-{rank:00000}/exact-{run:0000}.exactsig — signature pass, per (task, run)
///   header 32 bytes: "DPEXACT1" | u32 0 | u32 0 | u32 rank | u32 documents seen so far | u64 record count
///   record 20 bytes: u64 high | u64 low half of the 128-bit text hash | u32 document index within the task
///   Both kinds are sorted ascending by (hash, document index). A task writes a new run each time its
///   buffer fills, so its memory does not grow with its input; the bucket pass merges runs and tasks alike.
/// Duplicate pairs   {pairs}/band_{band:000}-{worker:00}.dups or exact-{worker:00}.dups — bucket pass
///   header 16 bytes: "DPMHDUP1" | u32 band (−1 for exact) | u32 worker
///   record 16 bytes: u32 rank A | u32 doc A | u32 rank B | u32 doc B, where A is the smallest
///                    (rank, doc) of a run of equal hashes and B another member (a star)
/// Removal list      {clusters}/part-{rank:00000}.remove — cluster pass, one per signature task
///   header 24 bytes: "DPMHREM2" | u32 rank | u32 record count | u64 documents the task read
///   record 16 bytes: u32 removed doc | u32 kept rank | u32 kept doc | u32 cluster size (top bit: the
///                    document is a byte-for-byte duplicate of normalised text, reason exact), sorted by removed doc
/// </code>
/// The band hash is xxh64 (seed 0) of the band's r signature values as little-endian u64. Differences
/// from datatrove's .minhash.sig (r × u64 + u32 per record): 12 bytes instead of 68, at the price of
/// a 64-bit collision chance (for n signatures in a band about n²/2^65 colliding pairs; 10^9
/// documents give ~0.03 per band), which the optional Jaccard verification also catches.
/// </summary>
public static class BandFiles
{
    public const int SignatureHeaderSize = 32;
    public const int SignatureRecordSize = 12;
    public const int ExactRecordSize = 20;
    public const int PairHeaderSize = 16;
    public const int PairRecordSize = 16;
    public const int RemovalHeaderSize = 24;
    public const int RemovalRecordSize = 16;
    public const int ExactBand = -1;

    internal static readonly byte[] SignatureMagic = Encoding.ASCII.GetBytes("DPMHBND1");
    internal static readonly byte[] ExactMagic = Encoding.ASCII.GetBytes("DPEXACT1");
    internal static readonly byte[] PairMagic = Encoding.ASCII.GetBytes("DPMHDUP1");
    internal static readonly byte[] RemovalMagic = Encoding.ASCII.GetBytes("DPMHREM2");

    /// <summary>The folder of one signature task's files.</summary>
    public static string TaskDirectory(string root, int rank) => Path.Combine(root, TaskDirectoryName(rank));

    public static string TaskDirectoryName(int rank) => $"part-{rank:D5}";

    public static string SignatureRunFile(string taskDirectory, int band, int run) => Path.Combine(taskDirectory, $"band_{band:D3}-{run:D4}.bandsig");

    public static string ExactRunFile(string taskDirectory, int run) => Path.Combine(taskDirectory, $"exact-{run:D4}.exactsig");

    /// <summary>Every run file of a band (or of the exact hashes for <see cref="ExactBand"/>) over all tasks, in (task, run) order.</summary>
    public static string[] RunFiles(string root, int band)
    {
        if (!Directory.Exists(root)) return [];
        string pattern = band == ExactBand ? "exact-*.exactsig" : $"band_{band:D3}-*.bandsig";
        return Directory.GetDirectories(root, "part-*").Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d, pattern).Order(StringComparer.Ordinal)).ToArray();
    }

    public static string PairFileName(int band, int worker) => band == ExactBand ? $"exact-{worker:D2}.dups" : $"band_{band:D3}-{worker:D2}.dups";

    public static string RemovalFileName(int rank) => $"part-{rank:D5}.remove";

    public static string RemovalFile(string root, int rank) => Path.Combine(root, RemovalFileName(rank));

    /// <summary>Writes to a temporary name then renames, so a crashed task never leaves a valid-looking partial file.</summary>
    internal static void WriteAtomically(string path, Action<Stream> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(fs);
        }
        File.Move(tmp, path, overwrite: true);
    }

    internal static void CheckMagic(ReadOnlySpan<byte> header, byte[] magic, string path)
    {
        if (header.Length < 8 || !header[..8].SequenceEqual(magic))
        {
            throw new InvalidDataException($"{path}: not a {Encoding.ASCII.GetString(magic)} file");
        }
    }

    /// <summary>The header of a signature or exact-hash run file.</summary>
    public readonly record struct SignatureHeader(int Band, int Rows, int Rank, uint Documents, long Records)
    {
        public bool IsExact => Band == ExactBand;

        public int RecordSize => IsExact ? ExactRecordSize : SignatureRecordSize;

        internal void Write(Span<byte> h)
        {
            (IsExact ? ExactMagic : SignatureMagic).CopyTo(h);
            BinaryPrimitives.WriteInt32LittleEndian(h[8..], IsExact ? 0 : Band);
            BinaryPrimitives.WriteInt32LittleEndian(h[12..], Rows);
            BinaryPrimitives.WriteInt32LittleEndian(h[16..], Rank);
            BinaryPrimitives.WriteUInt32LittleEndian(h[20..], Documents);
            BinaryPrimitives.WriteInt64LittleEndian(h[24..], Records);
        }

        public static SignatureHeader Read(string path)
        {
            using var fs = File.OpenRead(path);
            return Read(fs, path);
        }

        internal static SignatureHeader Read(Stream s, string path)
        {
            Span<byte> h = stackalloc byte[SignatureHeaderSize];
            if (s.Length < SignatureHeaderSize) throw new InvalidDataException($"{path}: {s.Length} bytes, shorter than a header (truncated)");
            s.ReadExactly(h);
            bool exact = h[..8].SequenceEqual(ExactMagic);
            if (!exact) CheckMagic(h, SignatureMagic, path);
            var header = new SignatureHeader(
                exact ? ExactBand : BinaryPrimitives.ReadInt32LittleEndian(h[8..]), BinaryPrimitives.ReadInt32LittleEndian(h[12..]),
                BinaryPrimitives.ReadInt32LittleEndian(h[16..]), BinaryPrimitives.ReadUInt32LittleEndian(h[20..]),
                BinaryPrimitives.ReadInt64LittleEndian(h[24..]));
            if (s.Length != SignatureHeaderSize + header.Records * header.RecordSize)
            {
                throw new InvalidDataException($"{path}: {s.Length} bytes, header promises {header.Records} records (truncated or corrupt)");
            }
            return header;
        }
    }
}

/// <summary>One document's hash in one band.</summary>
public readonly record struct BandRecord(ulong Hash, uint Doc) : IComparable<BandRecord>
{
    /// <summary>As <see cref="Compare"/>; through this, <c>Span.Sort()</c> compares inline instead of calling a delegate per comparison.</summary>
    public int CompareTo(BandRecord other) => Compare(this, other);

    public static bool operator <(BandRecord x, BandRecord y) => Compare(x, y) < 0;
    public static bool operator >(BandRecord x, BandRecord y) => Compare(x, y) > 0;
    public static bool operator <=(BandRecord x, BandRecord y) => Compare(x, y) <= 0;
    public static bool operator >=(BandRecord x, BandRecord y) => Compare(x, y) >= 0;

    /// <summary>The file order: by hash, then document.</summary>
    public static int Compare(BandRecord x, BandRecord y)
    {
        int c = x.Hash.CompareTo(y.Hash);
        return c != 0 ? c : x.Doc.CompareTo(y.Doc);
    }
}

/// <summary>One document's 128-bit exact-duplicate hash.</summary>
public readonly record struct ExactRecord(UInt128 Hash, uint Doc) : IComparable<ExactRecord>
{
    public int CompareTo(ExactRecord other) => Compare(this, other);

    public static bool operator <(ExactRecord x, ExactRecord y) => Compare(x, y) < 0;
    public static bool operator >(ExactRecord x, ExactRecord y) => Compare(x, y) > 0;
    public static bool operator <=(ExactRecord x, ExactRecord y) => Compare(x, y) <= 0;
    public static bool operator >=(ExactRecord x, ExactRecord y) => Compare(x, y) >= 0;

    public static int Compare(ExactRecord x, ExactRecord y)
    {
        int c = x.Hash.CompareTo(y.Hash);
        return c != 0 ? c : x.Doc.CompareTo(y.Doc);
    }
}

/// <summary>A candidate duplicate pair between two documents named by (signature task rank, document index in that task).</summary>
public readonly record struct DuplicatePair(uint RankA, uint DocA, uint RankB, uint DocB);

using System.Buffers.Binary;
using System.Text;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// On-disk formats of the LSH stages (all little-endian, fixed-size records so a reader can seek by
/// record number, as datatrove's stage 2 does).
/// <code>
/// Band signature file  {dir}/bucket_{band:000}/{rank:00000}.bandsig — stage 1, one per (task, band)
///   header 32 bytes: "DPMHBND1" | u32 band | u32 rows | u32 rank | u32 documents read by the task
///                    (including those without a signature) | u64 record count
///   record 12 bytes: u64 band hash | u32 document index within the task
///   sorted ascending by (band hash, document index)
/// Duplicate pair file  {dir}/{band:00000}_{worker:00}.dups — stage 2, one per (band, hash-range worker)
///   header 16 bytes: "DPMHDUP1" | u32 band | u32 worker
///   record 16 bytes: u32 rank A | u32 doc A | u32 rank B | u32 doc B, where A is the smallest
///                    (rank, doc) of a run of equal band hashes and B another member (a star)
/// Removal file         {dir}/{rank:00000}.remove — stage 3, one per stage-1 task
///   header 16 bytes: "DPMHREM1" | u32 rank | u32 record count
///   record 16 bytes: u32 removed doc | u32 kept rank | u32 kept doc | u32 cluster size, sorted by removed doc
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
    public const int PairHeaderSize = 16;
    public const int PairRecordSize = 16;
    public const int RemovalHeaderSize = 16;
    public const int RemovalRecordSize = 16;

    internal static readonly byte[] SignatureMagic = Encoding.ASCII.GetBytes("DPMHBND1");
    internal static readonly byte[] PairMagic = Encoding.ASCII.GetBytes("DPMHDUP1");
    internal static readonly byte[] RemovalMagic = Encoding.ASCII.GetBytes("DPMHREM1");

    public static string BandDirectory(string root, int band) => Path.Combine(root, $"bucket_{band:D3}");

    public static string SignatureFile(string root, int band, int rank) => Path.Combine(BandDirectory(root, band), $"{rank:D5}.bandsig");

    public static string PairFile(string root, int band, int worker) => Path.Combine(root, $"{band:D5}_{worker:D2}.dups");

    public static string RemovalFile(string root, int rank) => Path.Combine(root, $"{rank:D5}.remove");

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
        if (!header[..8].SequenceEqual(magic))
        {
            throw new InvalidDataException($"{path}: not a {Encoding.ASCII.GetString(magic)} file");
        }
    }

    /// <summary>The header of a band signature file.</summary>
    public readonly record struct SignatureHeader(int Band, int Rows, int Rank, uint Documents, long Records)
    {
        internal void Write(Span<byte> h)
        {
            SignatureMagic.CopyTo(h);
            BinaryPrimitives.WriteInt32LittleEndian(h[8..], Band);
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
            s.ReadExactly(h);
            CheckMagic(h, SignatureMagic, path);
            var header = new SignatureHeader(
                BinaryPrimitives.ReadInt32LittleEndian(h[8..]), BinaryPrimitives.ReadInt32LittleEndian(h[12..]),
                BinaryPrimitives.ReadInt32LittleEndian(h[16..]), BinaryPrimitives.ReadUInt32LittleEndian(h[20..]),
                BinaryPrimitives.ReadInt64LittleEndian(h[24..]));
            if (s.Length != SignatureHeaderSize + header.Records * SignatureRecordSize)
            {
                throw new InvalidDataException($"{path}: {s.Length} bytes, header promises {header.Records} records (truncated or corrupt)");
            }
            return header;
        }
    }
}

/// <summary>One document's hash in one band.</summary>
public readonly record struct BandRecord(ulong Hash, uint Doc)
{
    /// <summary>The file order: by hash, then document.</summary>
    public static int Compare(BandRecord x, BandRecord y)
    {
        int c = x.Hash.CompareTo(y.Hash);
        return c != 0 ? c : x.Doc.CompareTo(y.Doc);
    }
}

/// <summary>A candidate duplicate pair between two documents named by (stage-1 task rank, document index in that task).</summary>
public readonly record struct DuplicatePair(uint RankA, uint DocA, uint RankB, uint DocB);

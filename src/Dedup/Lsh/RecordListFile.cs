using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// A list of variable-length byte records with random access: <c>NAME.dat</c> holds the records back to back,
/// <c>NAME.idx</c> holds "DPRECS01" | u64 count | u64 offsets[count + 1]. The signature pass writes one per
/// task for document ids (so the cluster pass can name removed documents and what they duplicate) and,
/// with verification on, for each document's sorted shingle set.
/// </summary>
public sealed class RecordListWriter : IDisposable
{
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("DPRECS01");
    private readonly FileStream _data;
    private readonly FileStream _index;
    private readonly byte[] _offset = new byte[8];
    private long _count;

    public RecordListWriter(string pathWithoutExtension)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pathWithoutExtension)!);
        _data = new FileStream(pathWithoutExtension + ".dat", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _index = new FileStream(pathWithoutExtension + ".idx", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _index.Write(Magic);
        _index.Write(new byte[8]); // count, filled in by Complete
        WriteOffset(0);
    }

    public long Count => _count;

    public void Add(ReadOnlySpan<byte> record)
    {
        _data.Write(record);
        _count++;
        WriteOffset(_data.Position);
    }

    public void Complete()
    {
        _index.Position = Magic.Length;
        BinaryPrimitives.WriteInt64LittleEndian(_offset, _count);
        _index.Write(_offset);
        _index.Flush();
        _data.Flush();
    }

    private void WriteOffset(long offset)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_offset, offset);
        _index.Write(_offset);
    }

    public void Dispose()
    {
        _data.Dispose();
        _index.Dispose();
    }

    internal static ReadOnlySpan<byte> MagicBytes => Magic;
}

/// <summary>Random-access reader of a <see cref="RecordListWriter"/> file pair.</summary>
public sealed class RecordListReader : IDisposable
{
    private readonly SafeFileHandle _data;
    private readonly SafeFileHandle _index;
    private readonly string _path;
    private readonly long _dataLength;

    public RecordListReader(string pathWithoutExtension)
    {
        _path = pathWithoutExtension;
        _index = File.OpenHandle(pathWithoutExtension + ".idx");
        _data = File.OpenHandle(pathWithoutExtension + ".dat");
        Span<byte> header = stackalloc byte[16];
        if (RandomAccess.Read(_index, header, 0) != 16) throw new InvalidDataException($"{_path}.idx: truncated");
        BandFiles.CheckMagic(header, RecordListWriter.MagicBytes.ToArray(), _path + ".idx");
        Count = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        if (RandomAccess.GetLength(_index) != 16 + (Count + 1) * 8)
        {
            throw new InvalidDataException($"{_path}.idx: length does not match its {Count} records (truncated or corrupt)");
        }
        _dataLength = RandomAccess.GetLength(_data);
    }

    /// <summary>The number of records, read from the header alone.</summary>
    public static long ReadCount(string pathWithoutExtension)
    {
        using var r = new RecordListReader(pathWithoutExtension);
        return r.Count;
    }

    public long Count { get; }

    public byte[] Read(long index)
    {
        if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index), $"{_path}: record {index} of {Count}");
        Span<byte> pair = stackalloc byte[16];
        RandomAccess.Read(_index, pair, 16 + index * 8);
        long start = BinaryPrimitives.ReadInt64LittleEndian(pair), end = BinaryPrimitives.ReadInt64LittleEndian(pair[8..]);
        if (start < 0 || end < start || end > _dataLength) throw new InvalidDataException($"{_path}: record {index} points outside the data file");
        var bytes = new byte[end - start];
        if (bytes.Length > 0 && RandomAccess.Read(_data, bytes, start) != bytes.Length) throw new InvalidDataException($"{_path}.dat: truncated");
        return bytes;
    }

    public void Dispose()
    {
        _data.Dispose();
        _index.Dispose();
    }
}

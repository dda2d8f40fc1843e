using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// The bytes of one shard: the raw file read in place when it exists, otherwise the compressed
/// file decompressed into memory (upstream decompresses to disk instead; a reader should not write
/// into a dataset folder it may not own).
/// </summary>
internal sealed class MdsShardFile : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly byte[]? _memory;

    private MdsShardFile(SafeFileHandle? handle, byte[]? memory, long length)
    {
        _handle = handle;
        _memory = memory;
        Length = length;
    }

    public long Length { get; }

    public static MdsShardFile Open(string directory, MdsShardInfo shard, string? validateHash)
    {
        string rawPath = Path.Combine(directory, shard.RawData.Basename);
        if (File.Exists(rawPath))
        {
            if (validateHash is not null)
            {
                Check(File.ReadAllBytes(rawPath), shard.RawData, validateHash, rawPath);
            }
            var handle = File.OpenHandle(rawPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            return new MdsShardFile(handle, null, RandomAccess.GetLength(handle));
        }
        if (shard.ZipData is null || shard.Config.Compression is null)
        {
            throw new FileNotFoundException($"MDS shard '{rawPath}' is missing.", rawPath);
        }
        string zipPath = Path.Combine(directory, shard.ZipData.Basename);
        if (!File.Exists(zipPath))
        {
            throw new FileNotFoundException($"MDS shard '{zipPath}' is missing.", zipPath);
        }
        byte[] zip = File.ReadAllBytes(zipPath);
        if (validateHash is not null)
        {
            Check(zip, shard.ZipData, validateHash, zipPath);
        }
        byte[] raw;
        try
        {
            raw = MdsCompression.Parse(shard.Config.Compression).Decompress(zip);
        }
        catch (Exception e) when (e is not NotSupportedException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"{zipPath}: cannot decompress ({shard.Config.Compression}): {e.Message}", e);
        }
        if (validateHash is not null)
        {
            Check(raw, shard.RawData, validateHash, zipPath + " (decompressed)");
        }
        return new MdsShardFile(null, raw, raw.Length);
    }

    private static void Check(byte[] data, MdsFileInfo info, string algo, string path)
    {
        if (!info.Hashes.TryGetValue(algo, out var expected))
        {
            throw new InvalidDataException($"{path}: index.json records no '{algo}' hash to validate against.");
        }
        string actual = MdsHashes.Compute(algo, data);
        if (actual != expected)
        {
            throw new InvalidDataException($"{path}: {algo} is {actual}, index.json says {expected}.");
        }
    }

    public void Read(long offset, Span<byte> destination, string where)
    {
        if (offset < 0 || offset + destination.Length > Length)
        {
            throw new InvalidDataException($"{where}: reads past the end of the shard ({Length} bytes).");
        }
        if (_memory is not null)
        {
            _memory.AsSpan((int)offset, destination.Length).CopyTo(destination);
            return;
        }
        if (RandomAccess.Read(_handle!, destination, offset) != destination.Length)
        {
            throw new InvalidDataException($"{where}: shard file is shorter than expected.");
        }
    }

    public uint ReadUInt32(long offset, string where)
    {
        Span<byte> b = stackalloc byte[4];
        Read(offset, b, where);
        return BinaryPrimitives.ReadUInt32LittleEndian(b);
    }

    public void Dispose() => _handle?.Dispose();
}

using System.Buffers.Binary;

namespace DataPipeline.Dedup.Lsh;

/// <summary>One record of a task's .remove file (see <see cref="BandFiles"/>).</summary>
public readonly record struct TaskRemoval(uint Doc, uint KeptRank, uint KeptDoc, int ClusterSize, bool Exact);

/// <summary>A task's removal list: what to drop, and how many documents the signature pass counted for it.</summary>
public sealed record TaskRemovals(long Documents, List<TaskRemoval> Removals);

/// <summary>Reads a cluster-pass .remove file, in ascending document order.</summary>
public static class RemovalFileReader
{
    public static TaskRemovals ReadAll(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < BandFiles.RemovalHeaderSize) throw new InvalidDataException($"{path}: truncated");
        BandFiles.CheckMagic(bytes, BandFiles.RemovalMagic, path);
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        long documents = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(16));
        if (bytes.Length != BandFiles.RemovalHeaderSize + (long)count * BandFiles.RemovalRecordSize)
        {
            throw new InvalidDataException($"{path}: {bytes.Length} bytes, header promises {count} records");
        }
        var result = new List<TaskRemoval>(count);
        for (int i = 0; i < count; i++)
        {
            var r = bytes.AsSpan(BandFiles.RemovalHeaderSize + i * BandFiles.RemovalRecordSize);
            uint sizeAndFlag = BinaryPrimitives.ReadUInt32LittleEndian(r[12..]);
            result.Add(new TaskRemoval(BinaryPrimitives.ReadUInt32LittleEndian(r), BinaryPrimitives.ReadUInt32LittleEndian(r[4..]),
                BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), (int)(sizeAndFlag & 0x7FFF_FFFF), (sizeAndFlag & 0x8000_0000) != 0));
        }
        return new TaskRemovals(documents, result);
    }

    public static List<TaskRemoval> Read(string path) => ReadAll(path).Removals;
}

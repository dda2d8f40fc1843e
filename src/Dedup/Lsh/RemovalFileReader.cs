using System.Buffers.Binary;

namespace DataPipeline.Dedup.Lsh;

/// <summary>One record of a task's .remove file (see <see cref="BandFiles"/>).</summary>
public readonly record struct TaskRemoval(uint Doc, uint KeptRank, uint KeptDoc, int ClusterSize);

/// <summary>Reads a stage-3 .remove file, in ascending document order.</summary>
public static class RemovalFileReader
{
    public static List<TaskRemoval> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < BandFiles.RemovalHeaderSize) throw new InvalidDataException($"{path}: truncated");
        BandFiles.CheckMagic(bytes, BandFiles.RemovalMagic, path);
        int count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        if (bytes.Length != BandFiles.RemovalHeaderSize + (long)count * BandFiles.RemovalRecordSize)
        {
            throw new InvalidDataException($"{path}: {bytes.Length} bytes, header promises {count} records");
        }
        var result = new List<TaskRemoval>(count);
        for (int i = 0; i < count; i++)
        {
            var r = bytes.AsSpan(BandFiles.RemovalHeaderSize + i * BandFiles.RemovalRecordSize);
            result.Add(new TaskRemoval(BinaryPrimitives.ReadUInt32LittleEndian(r), BinaryPrimitives.ReadUInt32LittleEndian(r[4..]),
                BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), BinaryPrimitives.ReadInt32LittleEndian(r[12..])));
        }
        return result;
    }
}

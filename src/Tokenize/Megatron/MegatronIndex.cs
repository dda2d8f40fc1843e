using System.Buffers.Binary;

namespace DataPipeline.Tokenize.Megatron;

/// <summary>
/// The contents of a <c>.idx</c> file (<c>_IndexWriter</c>/<c>_IndexReader</c>): magic
/// <c>MMIDIDX\0\0</c>, u64 version 1, u8 dtype code, u64 sequence count S, u64 document-index count
/// D (documents + 1), then unaligned at offset 34: i32 lengths[S], i64 byte pointers[S], i64
/// document indices[D], and for multimodal data i8 modes[S].
/// </summary>
public sealed class MegatronIndex
{
    public static ReadOnlySpan<byte> Magic => "MMIDIDX\0\0"u8;

    public const ulong Version = 1;

    private const int HeaderSize = 34;

    public MegatronIndex(MegatronDType dtype, int[] sequenceLengths, long[] documentIndices, sbyte[]? sequenceModes)
    {
        DType = dtype;
        SequenceLengths = sequenceLengths ?? throw new ArgumentNullException(nameof(sequenceLengths));
        DocumentIndices = documentIndices ?? throw new ArgumentNullException(nameof(documentIndices));
        SequenceModes = sequenceModes;
        SequencePointers = ComputePointers(dtype, sequenceLengths);
    }

    public MegatronDType DType { get; }

    public int[] SequenceLengths { get; }

    /// <summary>Byte offset of each sequence in <c>.bin</c>: running sum of length times item size.</summary>
    public long[] SequencePointers { get; }

    /// <summary>Sequence-index boundaries: 0, then the sequence count after each document.</summary>
    public long[] DocumentIndices { get; }

    public sbyte[]? SequenceModes { get; }

    private static long[] ComputePointers(MegatronDType dtype, int[] lengths)
    {
        int itemSize = MegatronDTypes.ItemSize(dtype);
        var pointers = new long[lengths.Length];
        long p = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            pointers[i] = p;
            p += (long)lengths[i] * itemSize;
        }
        return pointers;
    }

    public byte[] ToBytes()
    {
        int s = SequenceLengths.Length;
        int d = DocumentIndices.Length;
        long size = HeaderSize + 12L * s + 8L * d + (SequenceModes is null ? 0 : s);
        var bytes = new byte[checked((int)size)];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        BinaryPrimitives.WriteUInt64LittleEndian(span[9..], Version);
        span[17] = (byte)DType;
        BinaryPrimitives.WriteUInt64LittleEndian(span[18..], (ulong)s);
        BinaryPrimitives.WriteUInt64LittleEndian(span[26..], (ulong)d);
        int o = HeaderSize;
        foreach (int len in SequenceLengths)
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[o..], len);
            o += 4;
        }
        foreach (long p in SequencePointers)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[o..], p);
            o += 8;
        }
        foreach (long di in DocumentIndices)
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[o..], di);
            o += 8;
        }
        if (SequenceModes is not null)
        {
            foreach (sbyte m in SequenceModes)
            {
                span[o++] = (byte)m;
            }
        }
        return bytes;
    }

    /// <summary>
    /// Parses an <c>.idx</c>. The header has no multimodal flag, so the caller says; the file length
    /// must then match exactly, which also catches a wrong guess.
    /// </summary>
    public static MegatronIndex Parse(ReadOnlySpan<byte> bytes, bool multimodal, string source)
    {
        if (bytes.Length < HeaderSize || !bytes[..9].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{source}: not a Megatron index (no MMIDIDX header).");
        }
        ulong version = BinaryPrimitives.ReadUInt64LittleEndian(bytes[9..]);
        if (version != Version)
        {
            throw new InvalidDataException($"{source}: index version {version}; only version 1 exists.");
        }
        byte code = bytes[17];
        if (!MegatronDTypes.IsDefined(code))
        {
            throw new InvalidDataException($"{source}: unknown dtype code {code}.");
        }
        ulong s = BinaryPrimitives.ReadUInt64LittleEndian(bytes[18..]);
        ulong d = BinaryPrimitives.ReadUInt64LittleEndian(bytes[26..]);
        ulong expected = HeaderSize + 12UL * s + 8UL * d + (multimodal ? s : 0);
        if (s > int.MaxValue || d > int.MaxValue || (ulong)bytes.Length != expected)
        {
            throw new InvalidDataException($"{source}: {bytes.Length} bytes, but {s} sequences and {d} document indices{(multimodal ? " with modes" : "")} need {expected}.");
        }
        var lengths = new int[s];
        var pointers = new long[s];
        var documents = new long[d];
        int o = HeaderSize;
        for (int i = 0; i < lengths.Length; i++, o += 4)
        {
            lengths[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[o..]);
        }
        for (int i = 0; i < pointers.Length; i++, o += 8)
        {
            pointers[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[o..]);
        }
        for (int i = 0; i < documents.Length; i++, o += 8)
        {
            documents[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes[o..]);
        }
        sbyte[]? modes = multimodal ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(bytes[o..]).ToArray() : null;
        var index = new MegatronIndex((MegatronDType)code, lengths, documents, modes);
        if (!index.SequencePointers.AsSpan().SequenceEqual(pointers))
        {
            throw new InvalidDataException($"{source}: sequence pointers do not follow from the lengths.");
        }
        if (documents.Length == 0 || documents[0] != 0 || documents[^1] != (long)s)
        {
            throw new InvalidDataException($"{source}: document indices must run from 0 to the sequence count {s}.");
        }
        for (int i = 1; i < documents.Length; i++)
        {
            if (documents[i] < documents[i - 1])
            {
                throw new InvalidDataException($"{source}: document indices decrease at {i}.");
            }
        }
        return index;
    }
}

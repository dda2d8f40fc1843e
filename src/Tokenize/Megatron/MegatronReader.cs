using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace DataPipeline.Tokenize.Megatron;

/// <summary>Reads a Megatron indexed dataset: its index in memory, sequences from <c>.bin</c> on demand. Thread-safe.</summary>
public sealed class MegatronReader : IDisposable
{
    private readonly SafeFileHandle _bin;
    private readonly long _binLength;
    private readonly string _binPath;

    private MegatronReader(MegatronIndex index, SafeFileHandle bin, string binPath)
    {
        Index = index;
        _bin = bin;
        _binPath = binPath;
        _binLength = RandomAccess.GetLength(bin);
        int n = index.SequenceLengths.Length;
        long needed = n == 0 ? 0 : index.SequencePointers[^1] + (long)index.SequenceLengths[^1] * MegatronDTypes.ItemSize(index.DType);
        if (needed != _binLength)
        {
            bin.Dispose();
            throw new InvalidDataException($"{binPath}: {_binLength} bytes, but the index describes {needed}.");
        }
    }

    /// <summary>Opens <c>P.idx</c> and <c>P.bin</c>; <paramref name="multimodal"/> must match how it was written (the header does not say).</summary>
    public static MegatronReader Open(string pathPrefix, bool multimodal = false)
    {
        string idxPath = MegatronPaths.Index(pathPrefix);
        string binPath = MegatronPaths.Data(pathPrefix);
        var index = MegatronIndex.Parse(File.ReadAllBytes(idxPath), multimodal, idxPath);
        return new MegatronReader(index, File.OpenHandle(binPath, FileMode.Open, FileAccess.Read, FileShare.Read), binPath);
    }

    public MegatronIndex Index { get; }

    public MegatronDType DType => Index.DType;

    public int SequenceCount => Index.SequenceLengths.Length;

    public int DocumentCount => Index.DocumentIndices.Length - 1;

    /// <summary>Document <paramref name="document"/> spans sequences [start, end).</summary>
    public (long Start, long End) DocumentSequences(int document) =>
        (Index.DocumentIndices[document], Index.DocumentIndices[document + 1]);

    public int SequenceLength(int sequence) => Index.SequenceLengths[sequence];

    /// <summary>The raw little-endian elements of a sequence.</summary>
    public void ReadSequenceBytes(int sequence, Span<byte> destination)
    {
        long length = (long)Index.SequenceLengths[sequence] * MegatronDTypes.ItemSize(DType);
        if (destination.Length != length)
        {
            throw new ArgumentException($"Sequence {sequence} is {length} bytes; the destination is {destination.Length}.");
        }
        if (RandomAccess.Read(_bin, destination, Index.SequencePointers[sequence]) != length)
        {
            throw new InvalidDataException($"{_binPath}: ends inside sequence {sequence}.");
        }
    }

    /// <summary>The token ids of a sequence, widened to long.</summary>
    public long[] ReadSequence(int sequence)
    {
        var result = new long[Index.SequenceLengths[sequence]];
        ReadSequence(sequence, result);
        return result;
    }

    /// <summary>The token ids of a sequence into <paramref name="destination"/>, whose length must be the sequence length.</summary>
    public void ReadSequence(int sequence, Span<long> destination)
    {
        int bytes = Index.SequenceLengths[sequence] * MegatronDTypes.ItemSize(DType);
        byte[] rented = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            var raw = rented.AsSpan(0, bytes);
            ReadSequenceBytes(sequence, raw);
            TokenEncoder.Decode(raw, DType, destination[..Index.SequenceLengths[sequence]]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void Dispose() => _bin.Dispose();
}

using System.Buffers.Binary;
using System.IO.Hashing;
using DataPipeline.Dedup.MinHash;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// Stage 1 for one task: shingles its documents in input order, computes signatures a batch at a
/// time on the chosen backend, and on <see cref="Complete"/> writes one sorted band file per band.
/// Documents are numbered by their position in the task's stream (datatrove's doc_idx), counting
/// those that yield no signature, so stage 4 can drop by position while reading the same input.
/// </summary>
/// <remarks>Memory: 12 bytes per document per band until Complete (168 B/doc at 14 bands), like
/// datatrove's read-back-and-sort of each bucket file.</remarks>
public sealed class MinHashSignatureTask
{
    private readonly string _outputRoot;
    private readonly int _rank;
    private readonly MinHashOptions _options;
    private readonly IMinHashBackend _backend;
    private readonly int _batchSize;
    private readonly Shingler _shingler;
    private readonly PermutationParameters _parameters;
    private readonly ShingleBatch _batch = new();
    private readonly List<BandRecord>[] _bands;
    private ulong[] _signatures = [];
    private uint _batchFirstDoc;
    private uint _documents;

    public MinHashSignatureTask(string outputRoot, int rank, MinHashOptions options, IMinHashBackend backend, int batchSize = 4096)
    {
        options.Validate();
        _outputRoot = outputRoot;
        _rank = rank;
        _options = options;
        _backend = backend;
        _batchSize = batchSize;
        _shingler = new Shingler(options);
        _parameters = PermutationParameters.Create(options.Seed, options.SignatureLength);
        _bands = Enumerable.Range(0, options.Bands).Select(_ => new List<BandRecord>()).ToArray();
    }

    public uint Documents => _documents;

    public void Add(string text)
    {
        if (_documents == uint.MaxValue) throw new InvalidOperationException("a task may hold at most 2^32 − 1 documents");
        _batch.Add(_shingler, text);
        _documents++;
        if (_batch.Count >= _batchSize) Flush();
    }

    /// <summary>Computes what is left, sorts each band and writes the band files.</summary>
    public void Complete()
    {
        Flush();
        for (int band = 0; band < _bands.Length; band++)
        {
            var records = _bands[band];
            records.Sort(BandRecord.Compare);
            var header = new BandFiles.SignatureHeader(band, _options.Rows, _rank, _documents, records.Count);
            BandFiles.WriteAtomically(BandFiles.SignatureFile(_outputRoot, band, _rank), s =>
            {
                var buffer = new byte[BandFiles.SignatureHeaderSize + 4096 * BandFiles.SignatureRecordSize];
                header.Write(buffer);
                int used = BandFiles.SignatureHeaderSize;
                foreach (var r in records)
                {
                    if (used + BandFiles.SignatureRecordSize > buffer.Length)
                    {
                        s.Write(buffer, 0, used);
                        used = 0;
                    }
                    BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used), r.Hash);
                    BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used + 8), r.Doc);
                    used += BandFiles.SignatureRecordSize;
                }
                s.Write(buffer, 0, used);
            });
            _bands[band] = [];
        }
    }

    private void Flush()
    {
        if (_batch.Count == 0) return;
        int perms = _parameters.Count;
        if (_signatures.Length < _batch.Count * perms) _signatures = new ulong[_batch.Count * perms];
        _backend.Compute(_batch, _parameters, _signatures);
        Span<byte> bandBytes = stackalloc byte[_options.Rows * 8];
        for (int d = 0; d < _batch.Count; d++)
        {
            if (_batch.ShingleCount(d) == 0) continue;
            var sig = _signatures.AsSpan(d * perms, perms);
            for (int band = 0; band < _options.Bands; band++)
            {
                var values = sig.Slice(band * _options.Rows, _options.Rows);
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bandBytes[(i * 8)..], values[i]);
                _bands[band].Add(new BandRecord(XxHash64.HashToUInt64(bandBytes), _batchFirstDoc + (uint)d));
            }
        }
        _batchFirstDoc += (uint)_batch.Count;
        _batch.Clear();
    }
}

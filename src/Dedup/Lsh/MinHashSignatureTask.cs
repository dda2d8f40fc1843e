using System.Buffers.Binary;
using DataPipeline.Dedup.MinHash;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// The signature pass for one task: shingles its documents in input order, computes signatures a batch
/// at a time on the chosen backend, and writes sorted band runs into the task's folder. Documents are
/// numbered by their position in the task's stream (datatrove's doc_idx), counting those that yield no
/// signature, so the last pass can drop by position while reading the same input.
/// </summary>
/// <remarks>
/// Memory is bounded whatever the task's input size: records are buffered up to
/// <c>maxBufferedRecords</c> over all bands (12 bytes each; 4 Mi records = 48 MiB by default), then every
/// band is sorted and written as one more run file. Datatrove instead reads each whole bucket file back
/// to sort it, which grows with the task.
/// </remarks>
public sealed class MinHashSignatureTask
{
    private readonly string _taskDirectory;
    private readonly int _rank;
    private readonly MinHashOptions _options;
    private readonly IMinHashBackend _backend;
    private readonly int _batchSize;
    private readonly Shingler _shingler;
    private readonly PermutationParameters _parameters;
    private readonly ShingleBatch _batch = new();
    private readonly BandRecord[][] _bands;
    private readonly (int Offset, int Length)[] _lshBands;
    private readonly int _perBand;
    private int _buffered;
    private int _runs;
    private ulong[] _signatures = [];
    private uint _batchFirstDoc;
    private uint _documents;

    public MinHashSignatureTask(string taskDirectory, int rank, MinHashOptions options, IMinHashBackend backend, int batchSize = 4096, int maxBufferedRecords = 4 << 20)
    {
        options.Validate();
        _taskDirectory = taskDirectory;
        _rank = rank;
        _options = options;
        _backend = backend;
        _batchSize = batchSize;
        _shingler = new Shingler(options);
        _parameters = PermutationParameters.Create(options.Seed, options.SignatureLength);
        _perBand = Math.Max(batchSize, maxBufferedRecords / options.LshBands);
        _bands = new BandRecord[options.LshBands][];
        _lshBands = Enumerable.Range(0, options.LshBands).Select(options.LshBandRange).ToArray();
    }

    public uint Documents => _documents;

    /// <summary>Run files written so far per band (for tests of the spill path).</summary>
    public int Runs => _runs;

    /// <summary>Documents with too few words (or code points) for one shingle: no signature, never a candidate.</summary>
    public long WithoutSignature { get; private set; }

    /// <summary>Called with each document's shingles (in input order) before they are dropped; used to keep shingle sets for verification.</summary>
    public ShinglesCallback? ShinglesSeen { get; set; }

    /// <summary>When set, every document's sketch (its signature's low 16 bits) is written there, in input order, for the cluster pass's confirmation.</summary>
    public SketchFile.Writer? Sketches { get; set; }

    public void Add(string text)
    {
        if (_documents == uint.MaxValue) throw new InvalidOperationException("a task may hold at most 2^32 − 1 documents");
        _batch.Add(_shingler, text);
        _documents++;
        if (_batch.Count >= _batchSize) Flush();
    }

    /// <summary>Word shingles of text the caller normalised to UTF-8 (and shares with exact dedup).</summary>
    public void AddNormalizedUtf8(ReadOnlySpan<byte> normalized)
    {
        if (_documents == uint.MaxValue) throw new InvalidOperationException("a task may hold at most 2^32 − 1 documents");
        _batch.AddNormalizedUtf8(_shingler, normalized);
        _documents++;
        if (_batch.Count >= _batchSize) Flush();
    }

    /// <summary>As <see cref="Add"/> for text already normalised by the caller (who shares it with exact dedup).</summary>
    public void AddPrepared(string prepared)
    {
        if (_documents == uint.MaxValue) throw new InvalidOperationException("a task may hold at most 2^32 − 1 documents");
        _batch.AddPrepared(_shingler, prepared);
        _documents++;
        if (_batch.Count >= _batchSize) Flush();
    }

    /// <summary>Computes what is left and writes the last run of each band.</summary>
    public void Complete()
    {
        Flush();
        if (_buffered > 0 || _runs == 0) Spill();
    }

    private void Spill()
    {
        for (int band = 0; band < _options.LshBands; band++)
        {
            var records = _bands[band] is { } b ? b.AsSpan(0, _buffered) : [];
            records.Sort();
            var header = new BandFiles.SignatureHeader(band, _lshBands[band].Length, _rank, _documents, records.Length);
            var array = _bands[band];
            BandFiles.WriteAtomically(BandFiles.SignatureRunFile(_taskDirectory, band, _runs), s =>
            {
                var buffer = new byte[BandFiles.SignatureHeaderSize + 4096 * BandFiles.SignatureRecordSize];
                header.Write(buffer);
                int used = BandFiles.SignatureHeaderSize;
                for (int i = 0; i < _buffered; i++)
                {
                    if (used + BandFiles.SignatureRecordSize > buffer.Length)
                    {
                        s.Write(buffer, 0, used);
                        used = 0;
                    }
                    var r = array![i];
                    BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used), r.Hash);
                    BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used + 8), r.Doc);
                    used += BandFiles.SignatureRecordSize;
                }
                s.Write(buffer, 0, used);
            });
        }
        _buffered = 0;
        _runs++;
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
            ShinglesSeen?.Invoke(_batch.ShinglesOf(d));
            if (_batch.ShingleCount(d) == 0)
            {
                WithoutSignature++;
                Sketches?.AddEmpty();
                continue;
            }
            if (_buffered == _perBand) Spill();
            var sig = _signatures.AsSpan(d * perms, perms);
            Sketches?.Add(sig);
            for (int band = 0; band < _lshBands.Length; band++)
            {
                var (offset, length) = _lshBands[band];
                var values = sig.Slice(offset, length);
                for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bandBytes[(i * 8)..], values[i]);
                var array = _bands[band] ??= new BandRecord[Math.Min(_perBand, 1024)];
                if (_buffered == array.Length)
                {
                    // Grow up to the spill size, so a small task does not allocate the whole buffer.
                    Array.Resize(ref _bands[band], Math.Min(_perBand, array.Length * 2));
                    array = _bands[band];
                }
                array[_buffered] = new BandRecord(ShingleHash.Hash(bandBytes[..(length * 8)]), _batchFirstDoc + (uint)d); // xxh64, inlined
            }
            _buffered++;
        }
        _batchFirstDoc += (uint)_batch.Count;
        _batch.Clear();
    }
}

/// <summary>Receives one document's shingle hashes.</summary>
public delegate void ShinglesCallback(ReadOnlySpan<ulong> shingles);

/// <summary>
/// The exact-duplicate half of the signature pass: the 128-bit hash of each document's normalised text,
/// buffered and written as sorted runs like <see cref="MinHashSignatureTask"/> (20 bytes a record).
/// </summary>
public sealed class ExactHashTask(string taskDirectory, int rank, int maxBufferedRecords = 2 << 20)
{
    private readonly int _capacity = Math.Max(1, maxBufferedRecords);
    private ExactRecord[] _buffer = new ExactRecord[Math.Min(Math.Max(1, maxBufferedRecords), 1024)];
    private int _buffered;
    private int _runs;
    private uint _documents;

    public uint Documents => _documents;

    public void Add(UInt128 hash)
    {
        if (_buffered == _buffer.Length)
        {
            if (_buffer.Length < _capacity) Array.Resize(ref _buffer, Math.Min(_capacity, _buffer.Length * 2));
            else Spill();
        }
        _buffer[_buffered++] = new ExactRecord(hash, _documents++);
    }

    /// <summary>A document that takes part in no exact comparison (empty text): counted, not hashed.</summary>
    public void Skip() => _documents++;

    public void Complete()
    {
        if (_buffered > 0 || _runs == 0) Spill();
    }

    private void Spill()
    {
        var records = _buffer.AsSpan(0, _buffered);
        records.Sort();
        var header = new BandFiles.SignatureHeader(BandFiles.ExactBand, 0, rank, _documents, _buffered);
        int count = _buffered;
        BandFiles.WriteAtomically(BandFiles.ExactRunFile(taskDirectory, _runs), s =>
        {
            var buffer = new byte[BandFiles.SignatureHeaderSize + 4096 * BandFiles.ExactRecordSize];
            header.Write(buffer);
            int used = BandFiles.SignatureHeaderSize;
            for (int i = 0; i < count; i++)
            {
                if (used + BandFiles.ExactRecordSize > buffer.Length)
                {
                    s.Write(buffer, 0, used);
                    used = 0;
                }
                var r = _buffer[i];
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used), (ulong)(r.Hash >> 64));
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(used + 8), (ulong)r.Hash);
                BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used + 16), r.Doc);
                used += BandFiles.ExactRecordSize;
            }
            s.Write(buffer, 0, used);
        });
        _buffered = 0;
        _runs++;
    }
}

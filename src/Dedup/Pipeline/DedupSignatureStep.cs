using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup.Lsh;
using DataPipeline.Dedup.MinHash;
using DataPipeline.Dedup.Text;

namespace DataPipeline.Dedup.Pipeline;

/// <summary>
/// Pass 1 of a dedup stage (a map task): for every document in input order, its id, the 128-bit hash of
/// its normalised text, its MinHash band hashes and (with verification) its shingle set, written as
/// sorted runs into the task's folder <c>part-RRRRR/</c>, which appears only when the task commits.
/// </summary>
public sealed class DedupSignatureStep(DedupSettings settings) : ISinkStep, IDisposable
{
    private RecordListWriter? _ids;
    private RecordListWriter? _shingles;
    private SketchFile.Writer? _sketches;
    private MinHashSignatureTask? _minhash;
    private ExactHashTask? _exact;
    private IMinHashBackend? _backend;
    private long _documents;
    private long _emptyForExact;
    private readonly Utf8Normalizer _normalizer = new();

    public string Name => "dedup_signatures";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        var outputs = context.Outputs ?? throw new InvalidOperationException("the dedup signature pass runs inside a task");
        var dir = outputs.ReserveDirectory(outputs.PartName);
        _ids = new RecordListWriter(Path.Combine(dir, "ids"));
        if (settings.MinHash)
        {
            try
            {
                _backend = MinHashBackends.Create(settings.Backend, warning => Console.Error.WriteLine("warning: " + warning));
            }
            catch (Exception e) when (e is not OutOfMemoryException and not DataPipelineException)
            {
                throw new DataPipelineException($"dedup: MinHash backend '{settings.Backend}' is not available here: {e.Message}" +
                    (settings.Backend == "gpu" ? " (use backend: cpu, or auto to fall back to the CPU)" : ""));
            }
            _minhash = new MinHashSignatureTask(dir, context.Rank, settings.Options, _backend, settings.BatchSize);
            if (settings.KeepsSketches)
            {
                _sketches = new SketchFile.Writer(SketchFile.PathIn(dir), settings.Options.SignatureLength);
                _minhash.Sketches = _sketches;
            }
            if (settings.Verify)
            {
                _shingles = new RecordListWriter(Path.Combine(dir, "shingles"));
                var sorted = new List<ulong>();
                _minhash.ShinglesSeen = shingles => _shingles.Add(SortedUnique(shingles, sorted));
            }
        }
        if (settings.Exact)
        {
            _exact = new ExactHashTask(dir, context.Rank);
        }
        // The common case, word shingles of normalised text, runs on UTF-8 end to end; the others on strings.
        bool utf8Path = settings.Options.Normalize && settings.Options.Shingles == ShingleKind.Words;
        foreach (var document in documents)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            _ids.Add(Encoding.UTF8.GetBytes(document.Id));
            if (utf8Path)
            {
                if (document.TryGetUtf8(out var utf8)) _normalizer.Normalize(utf8.Span, () => document.Text);
                else _normalizer.Normalize(document.Text);
                var normalized = _normalizer.Result;
                AddExact(normalized);
                _minhash?.AddNormalizedUtf8(normalized);
            }
            else
            {
                // One normalisation serves both kinds: the exact key is the normalised text's hash.
                var prepared = settings.Options.Normalize ? DedupTextNormalizer.Normalize(document.Text) : document.Text;
                AddExact(Encoding.UTF8.GetBytes(prepared));
                _minhash?.AddPrepared(prepared);
            }
            _documents++;
        }
        yield break;
    }

    private void AddExact(ReadOnlySpan<byte> normalized)
    {
        if (_exact is null) return;
        if (normalized.IsEmpty)
        {
            // Empty (or punctuation-only) texts would all be one another's exact duplicates;
            // like MinHash, which gives them no signature, exact dedup leaves them alone.
            _exact.Skip();
            _emptyForExact++;
        }
        else
        {
            _exact.Add(XxHash128.HashToUInt128(normalized));
        }
    }

    private static byte[] SortedUnique(ReadOnlySpan<ulong> shingles, List<ulong> scratch)
    {
        scratch.Clear();
        foreach (var s in shingles) scratch.Add(s);
        scratch.Sort();
        int n = 0;
        for (int i = 0; i < scratch.Count; i++)
        {
            if (i == 0 || scratch[i] != scratch[i - 1]) scratch[n++] = scratch[i];
        }
        var bytes = new byte[n * 8];
        for (int i = 0; i < n; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), scratch[i]);
        return bytes;
    }

    public void Complete(StepContext context)
    {
        _minhash?.Complete();
        _exact?.Complete();
        _shingles?.Complete();
        _sketches?.Complete();
        _ids!.Complete();
        context.Stats.Add("documents", _documents);
        if (_minhash is not null)
        {
            context.Stats.Add("without_minhash_signature", _minhash.WithoutSignature);
        }
        if (_exact is not null)
        {
            context.Stats.Add("empty_after_normalisation", _emptyForExact);
        }
        context.Stats.Add("normalised_on_general_path", _normalizer.SlowPathDocuments);
        Dispose();
    }

    public void Dispose()
    {
        _ids?.Dispose();
        _shingles?.Dispose();
        _sketches?.Dispose();
        _backend?.Dispose();
        _ids = null;
        _shingles = null;
        _sketches = null;
        _backend = null;
    }
}

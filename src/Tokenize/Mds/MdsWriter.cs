using System.Globalization;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// Writes an MDS dataset folder that mosaicml-streaming reads, byte-identical to its
/// <c>MDSWriter</c> for the same columns, samples and settings (zstd output may differ with the
/// zstd library version, the decompressed shard does not).
/// </summary>
/// <remarks>
/// Call <see cref="Finish"/> to write the last shard and index.json. <see cref="Dispose"/> alone
/// does not: a writer abandoned after an error must not leave a dataset that looks complete.
/// </remarks>
public sealed class MdsWriter : IDisposable
{
    private readonly string _directory;
    private readonly MdsShardConfig _config;
    private readonly MdsCompression? _compression;
    private readonly MdsShardBuilder _shard;
    private readonly List<MdsShardInfo> _shards = [];
    private long _currentBytes;
    private bool _finished;

    public MdsWriter(string directory, IEnumerable<KeyValuePair<string, string>> columns, MdsWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new MdsWriterOptions();
        Schema = new MdsSchema(columns);
        var hashes = options.Hashes.ToArray();
        MdsHashes.Validate(hashes);
        if (options.Compression is not null)
        {
            _compression = MdsCompression.Parse(options.Compression);
            _compression.EnsureSupported();
        }
        _config = new MdsShardConfig(
            Schema.Encodings.Select(e => e.Text).ToArray(),
            Schema.Names,
            Schema.Encodings.Select(e => e.FixedSize).ToArray(),
            options.Compression,
            hashes,
            MdsSizeLimit.Normalize(options.SizeLimit));
        _shard = new MdsShardBuilder(MdsIndexJson.ConfigBytes(_config));
        _currentBytes = _shard.EmptyShardBytes;

        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            throw new IOException($"MDS output folder '{directory}' is not empty; upstream refuses to mix datasets too.");
        }
        Directory.CreateDirectory(directory);
        _directory = directory;
    }

    public MdsSchema Schema { get; }

    /// <summary>A row for this writer's columns, to fill, <see cref="Write"/>, clear and fill again.</summary>
    public MdsRow NewRow() => new(Schema);

    /// <summary>Appends a sample, starting a new shard first when this one would pass the size limit.</summary>
    public void Write(MdsRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!ReferenceEquals(row.Schema, Schema))
        {
            throw new ArgumentException("The row was made for another writer; use NewRow().");
        }
        int length = row.EncodedLength();
        long cost = length + 4L; // + its offset-table entry
        // Upstream's rule, quirk included: an oversized first sample flushes an empty shard first.
        if (_config.SizeLimit is { } limit && limit < _currentBytes + cost)
        {
            FlushShard();
        }
        _shard.Add(row, length);
        _currentBytes += cost;
    }

    /// <summary>Writes the pending shard and index.json; returns the shard entries written.</summary>
    public IReadOnlyList<MdsShardInfo> Finish()
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_shard.Count > 0)
        {
            FlushShard();
        }
        WriteAtomically(Path.Combine(_directory, MdsIndex.FileName), MdsIndexJson.IndexBytes(_shards));
        _finished = true;
        _shard.Dispose();
        return _shards;
    }

    public void Dispose()
    {
        _finished = true;
        _shard.Dispose();
    }

    private void FlushShard()
    {
        string rawName = string.Create(CultureInfo.InvariantCulture, $"shard.{_shards.Count:D5}.mds");
        using var raw = _shard.BuildRaw();
        var rawInfo = new MdsFileInfo(rawName, raw.Length, Digests(raw.Span));
        MdsFileInfo? zipInfo = null;
        if (_compression is null)
        {
            WriteAtomically(Path.Combine(_directory, rawName), raw.Span);
        }
        else
        {
            // Only the compressed file is written; the reader recreates the raw one.
            using var zip = _compression.CompressPooled(raw.Span);
            string zipName = rawName + "." + _compression.Family;
            zipInfo = new MdsFileInfo(zipName, zip.Length, Digests(zip.Span));
            WriteAtomically(Path.Combine(_directory, zipName), zip.Span);
        }
        _shards.Add(new MdsShardInfo(_config, rawInfo, zipInfo, _shard.Count));
        _shard.Reset();
        _currentBytes = _shard.EmptyShardBytes;
    }

    private Dictionary<string, string> Digests(ReadOnlySpan<byte> data)
    {
        var result = new Dictionary<string, string>(_config.Hashes.Count);
        foreach (var name in _config.Hashes)
        {
            result[name] = MdsHashes.Compute(name, data);
        }
        return result;
    }

    // A crash mid-write leaves a .tmp file, never a truncated shard under its final name.
    private static void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        string tmp = path + ".tmp";
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            f.Write(bytes);
        }
        File.Move(tmp, path, overwrite: true);
    }
}

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// Random access to the samples of an MDS dataset folder, written by upstream or by
/// <see cref="MdsWriter"/>, including merged indexes whose basenames name subfolders.
/// Thread-safe.
/// </summary>
public sealed class MdsReader : IDisposable
{
    private readonly string _directory;
    private readonly MdsReaderOptions _options;
    private readonly MdsSchema[] _schemas;
    // bounds[s] = samples before shard s; bounds[^1] = total.
    private readonly long[] _bounds;
    private readonly LinkedList<(int Shard, MdsShardFile File)> _open = new();
    private readonly Lock _lock = new();

    private MdsReader(string directory, IReadOnlyList<MdsShardInfo> shards, MdsReaderOptions options)
    {
        _directory = directory;
        _options = options;
        Shards = shards;
        _schemas = new MdsSchema[shards.Count];
        _bounds = new long[shards.Count + 1];
        for (int s = 0; s < shards.Count; s++)
        {
            var cfg = shards[s].Config;
            _schemas[s] = new MdsSchema(cfg.ColumnNames.Zip(cfg.ColumnEncodings, KeyValuePair.Create));
            CheckSizes(s, _schemas[s], cfg);
            if (shards[s].Samples < 0)
            {
                throw new InvalidDataException($"{IndexPath}: shard {s} has a negative sample count.");
            }
            _bounds[s + 1] = _bounds[s] + shards[s].Samples;
        }
    }

    public static MdsReader Open(string directory, MdsReaderOptions? options = null)
    {
        string root = Path.GetFullPath(directory);
        var shards = MdsIndex.Load(root);
        for (int s = 0; s < shards.Count; s++)
        {
            CheckInside(root, shards[s].RawData.Basename, s);
            if (shards[s].ZipData is { } zip)
            {
                CheckInside(root, zip.Basename, s);
            }
        }
        return new MdsReader(root, shards, options ?? new MdsReaderOptions());
    }

    public IReadOnlyList<MdsShardInfo> Shards { get; }

    public long SampleCount => _bounds[^1];

    private string IndexPath => Path.Combine(_directory, MdsIndex.FileName);

    public MdsSample GetSample(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SampleCount);
        int s = ShardOf(index);
        long local = index - _bounds[s];
        string where = $"{Path.Combine(_directory, Shards[s].RawData.Basename)}, sample {local}";
        byte[] data;
        lock (_lock)
        {
            var file = OpenShard(s);
            long begin = file.ReadUInt32(4 + 4 * local, where);
            long end = file.ReadUInt32(8 + 4 * local, where);
            if (end < begin)
            {
                throw new InvalidDataException($"{where}: offsets run backwards ({begin} > {end}).");
            }
            data = GC.AllocateUninitializedArray<byte>(checked((int)(end - begin)));
            file.Read(begin, data, where);
        }
        return new MdsSample(_schemas[s], data, where);
    }

    // Upper bound minus one, so that empty shards (equal bounds) are skipped.
    private int ShardOf(long index)
    {
        int lo = 0, hi = _bounds.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_bounds[mid] <= index)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo - 1;
    }

    private MdsShardFile OpenShard(int s)
    {
        for (var node = _open.First; node is not null; node = node.Next)
        {
            if (node.Value.Shard == s)
            {
                _open.Remove(node);
                _open.AddFirst(node);
                return node.Value.File;
            }
        }
        var file = MdsShardFile.Open(_directory, Shards[s], _options.ValidateHash);
        uint count = file.ReadUInt32(0, Shards[s].RawData.Basename);
        if (count != Shards[s].Samples)
        {
            file.Dispose();
            throw new InvalidDataException($"{Path.Combine(_directory, Shards[s].RawData.Basename)}: holds {count} samples, index.json says {Shards[s].Samples}.");
        }
        _open.AddFirst((s, file));
        while (_open.Count > Math.Max(1, _options.MaxOpenShards))
        {
            _open.Last!.Value.File.Dispose();
            _open.RemoveLast();
        }
        return file;
    }

    private void CheckSizes(int s, MdsSchema schema, MdsShardConfig cfg)
    {
        for (int c = 0; c < schema.Count; c++)
        {
            int original = cfg.ColumnNames.ToList().IndexOf(schema.Names[c]);
            if (cfg.ColumnSizes[original] != schema.Encodings[c].FixedSize)
            {
                throw new InvalidDataException($"{IndexPath}: shard {s} column '{schema.Names[c]}' has size {cfg.ColumnSizes[original]?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null"}, its encoding {schema.Encodings[c].Text} implies another.");
            }
        }
        if (!cfg.ColumnNames.SequenceEqual(schema.Names))
        {
            throw new InvalidDataException($"{IndexPath}: shard {s} column_names are not sorted; upstream writers always sort them.");
        }
    }

    // Basenames come from a file anyone could have written: '../x' or '/etc/x' must not be read.
    private static void CheckInside(string root, string basename, int shard)
    {
        string full = Path.GetFullPath(Path.Combine(root, basename));
        string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (basename.Length == 0 || !full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{Path.Combine(root, MdsIndex.FileName)}: shard {shard} basename '{basename}' points outside the dataset folder '{root}'; refusing to read it.");
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var (_, file) in _open)
            {
                file.Dispose();
            }
            _open.Clear();
        }
    }
}

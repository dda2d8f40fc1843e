namespace DataPipeline.Core.Partitioning;

/// <summary>
/// Splits inputs into T task slices, deterministically: the same inputs and T always give the same
/// slices. Files are sorted by path and handed out as contiguous runs balanced by size, so reading
/// the task outputs in rank order gives the documents in input order whatever T is. When there
/// are fewer files than tasks, splittable files (Parquet by row group, uncompressed JSONL by byte
/// range) are cut into pieces first.
/// </summary>
public static class Partitioner
{
    /// <summary>Describes how a file may be split; supplied by the ingest layer, which knows the formats.</summary>
    public delegate IReadOnlyList<InputSlice> SplitFile(string path, long size, int pieces);

    public static IReadOnlyList<InputSlice>[] Partition(IReadOnlyList<(string Path, long Size)> files, int tasks, SplitFile? split = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tasks, 1);
        var sorted = files.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();
        var units = new List<InputSlice>();
        int piecesPerFile = sorted.Count == 0 ? 1 : Math.Max(1, (tasks + sorted.Count - 1) / sorted.Count);
        foreach (var (path, size) in sorted)
        {
            if (piecesPerFile > 1 && split is not null)
            {
                units.AddRange(split(path, size, piecesPerFile));
            }
            else
            {
                units.Add(InputSlice.WholeFile(path, size));
            }
        }
        return AssignContiguous(units, tasks);
    }

    /// <summary>
    /// Contiguous assignment: unit i goes to the task whose share of the cumulative weight holds the
    /// unit's midpoint. Every task gets at least one unit when there are at least T units.
    /// </summary>
    public static IReadOnlyList<InputSlice>[] AssignContiguous(IReadOnlyList<InputSlice> units, int tasks)
    {
        var result = new List<InputSlice>[tasks];
        for (int t = 0; t < tasks; t++)
        {
            result[t] = [];
        }
        if (units.Count == 0)
        {
            return result;
        }
        if (units.Count <= tasks)
        {
            for (int u = 0; u < units.Count; u++)
            {
                result[u].Add(units[u]);
            }
            return result;
        }
        // Greedy in order: each task takes units until it holds its share of the weight still to be
        // handed out, always leaving at least one unit for every task after it.
        double remaining = units.Sum(u => (double)Math.Max(1, u.Weight));
        int i = 0;
        for (int t = 0; t < tasks; t++)
        {
            int tasksLeft = tasks - t;
            double target = remaining / tasksLeft;
            double taken = 0;
            while (i < units.Count)
            {
                bool last = t == tasks - 1;
                double w = Math.Max(1, units[i].Weight);
                if (!last && result[t].Count > 0 && (units.Count - i <= tasksLeft - 1 || taken + w / 2 > target))
                {
                    break;
                }
                result[t].Add(units[i]);
                taken += w;
                i++;
            }
            remaining -= taken;
        }
        return result;
    }

    /// <summary>Even byte ranges for a splittable file; lines are owned by the range their first byte is in.</summary>
    public static IReadOnlyList<InputSlice> ByteRanges(string path, long size, int pieces)
    {
        pieces = (int)Math.Max(1, Math.Min(pieces, size / (1 << 20) + 1));
        var slices = new List<InputSlice>(pieces);
        for (int i = 0; i < pieces; i++)
        {
            long start = size * i / pieces;
            long end = size * (i + 1) / pieces;
            slices.Add(new InputSlice(path, size, SliceKind.ByteRange, start, end));
        }
        return slices;
    }
}

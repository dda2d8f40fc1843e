using System.Collections.Concurrent;
using System.Text;
using DataPipeline.Core.Errors;

namespace DataPipeline.Filtering.FastText;

/// <summary>
/// A fastText supervised model (<c>.bin</c>, or quantized <c>.ftz</c>) loaded for inference, read
/// as fastText 0.9.2's <c>FastText::loadModel</c> reads it. Immutable and shared by every thread;
/// each thread predicts through its own <see cref="FastTextPredictor"/>.
/// </summary>
public sealed class FastTextModel
{
    private const int Magic = 793712314;
    private const int MaxVersion = 12;

    private static readonly ConcurrentDictionary<string, Lazy<FastTextModel>> Shared = new(StringComparer.Ordinal);

    private readonly string[] _labels;

    private FastTextModel(byte[] data, string source)
    {
        var r = new ModelReader(data, source);
        if (r.Remaining < 8 || r.Int32("magic number") != Magic)
        {
            throw new DataPipelineException($"fastText model {source}: not a fastText model file (wrong magic number)");
        }
        Version = r.Int32("version");
        if (Version > MaxVersion)
        {
            throw r.Error($"has file-format version {Version}; fastText 0.9.2 reads versions up to {MaxVersion}");
        }
        Args = new FastTextArgs(r, Version);
        Dictionary = new FastTextDictionary(r, Args);
        if (Dictionary.NLabels == 0)
        {
            throw r.Error("has no labels");
        }

        IsQuantized = r.Bool("the quantized-input flag");
        var input = LoadedMatrix.Read(r, IsQuantized, "input matrix");
        if (!IsQuantized && Dictionary.PruneIdxSize >= 0)
        {
            // fastText refuses these too: "Invalid model file" (a pruned dictionary needs quantized input).
            throw r.Error("has a pruned dictionary but a dense input matrix (fastText refuses such files: see fastText issue #332)");
        }
        bool qout = r.Bool("the quantized-output flag");
        var output = LoadedMatrix.Read(r, IsQuantized && qout, "output matrix");
        IsOutputQuantized = IsQuantized && qout;

        if (input.Cols != Args.Dim || output.Cols != Args.Dim)
        {
            throw r.Error($"matrix widths ({input.Cols}, {output.Cols}) differ from the model dimension {Args.Dim}");
        }
        if (output.Rows != Dictionary.NLabels)
        {
            throw r.Error($"output matrix has {output.Rows} rows for {Dictionary.NLabels} labels");
        }
        long neededRows = Dictionary.NWords + (Dictionary.PruneIdxSize >= 0 ? Dictionary.MaxPrunedRow + 1 : Args.Bucket);
        if (input.Rows < neededRows)
        {
            throw r.Error($"input matrix has {input.Rows} rows where the dictionary and buckets address {neededRows}");
        }
        Input = new InputMatrix(input.RowsAsAdded(), Args.Dim, (int)input.Rows);
        Output = new OutputMatrix(output);
        if (Args.Loss == FastTextLoss.HierarchicalSoftmax)
        {
            Tree = new HuffmanTree(Dictionary.LabelCounts());
        }
        _labels = new string[Dictionary.NLabels];
        for (int i = 0; i < _labels.Length; i++)
        {
            _labels[i] = Encoding.UTF8.GetString(Dictionary.Word(Dictionary.NWords + i));
        }
        Source = source;
    }

    /// <summary>Where the model was read from (for messages).</summary>
    public string Source { get; }

    public int Version { get; }

    public FastTextArgs Args { get; }

    /// <summary>Whether the input matrix is product-quantized (an <c>.ftz</c> model).</summary>
    public bool IsQuantized { get; }

    public bool IsOutputQuantized { get; }

    public int LabelCount => _labels.Length;

    /// <summary>The labels as stored, with their prefix (<c>__label__en</c>), in output-row order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    internal FastTextDictionary Dictionary { get; }

    internal InputMatrix Input { get; }

    internal OutputMatrix Output { get; }

    internal HuffmanTree? Tree { get; }

    /// <summary>The index of a label, given with or without its <c>__label__</c> prefix; -1 when the model lacks it.</summary>
    public int LabelIndex(string label)
    {
        for (int i = 0; i < _labels.Length; i++)
        {
            if (_labels[i] == label || (_labels[i].StartsWith("__label__", StringComparison.Ordinal) && _labels[i].AsSpan(9).SequenceEqual(label)))
            {
                return i;
            }
        }
        return -1;
    }

    public FastTextPredictor CreatePredictor() => new(this);

    public static FastTextModel Load(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataPipelineException($"cannot read fastText model {path}: {e.Message}", e);
        }
        return Load(data, path);
    }

    public static FastTextModel Load(byte[] data, string source) => new(data, source);

    /// <summary>
    /// One loaded copy per file and process, shared by every task (the model is read-only); a file
    /// replaced on disk is read again.
    /// </summary>
    public static FastTextModel LoadShared(string path)
    {
        string full = Path.GetFullPath(path);
        var stamp = File.Exists(full) ? File.GetLastWriteTimeUtc(full).Ticks : 0;
        string key = full + "|" + stamp;
        var lazy = Shared.GetOrAdd(key, k => new Lazy<FastTextModel>(() => Load(full), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Shared.TryRemove(key, out _);
            throw;
        }
    }
}

/// <summary>
/// The Huffman tree of hierarchical softmax, built from the label counts exactly as
/// <c>HierarchicalSoftmaxLoss::buildTree</c> does (counts in dictionary order, which fastText keeps
/// sorted by decreasing count).
/// </summary>
internal sealed class HuffmanTree
{
    public HuffmanTree(long[] counts)
    {
        int osz = counts.Length;
        Osz = osz;
        int n = 2 * osz - 1;
        Left = new int[n];
        Right = new int[n];
        var count = new long[n];
        var parent = new int[n];
        for (int i = 0; i < n; i++)
        {
            parent[i] = -1;
            Left[i] = -1;
            Right[i] = -1;
            count[i] = 1_000_000_000_000_000;
        }
        for (int i = 0; i < osz; i++)
        {
            count[i] = counts[i];
        }
        int leaf = osz - 1;
        int node = osz;
        Span<int> mini = stackalloc int[2];
        for (int i = osz; i < n; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                if (leaf >= 0 && (node >= n || count[leaf] < count[node]))
                {
                    mini[j] = leaf--;
                }
                else
                {
                    mini[j] = node++;
                }
            }
            Left[i] = mini[0];
            Right[i] = mini[1];
            count[i] = count[mini[0]] + count[mini[1]];
            parent[mini[0]] = i;
            parent[mini[1]] = i;
        }
    }

    public int Osz { get; }

    public int[] Left { get; }

    public int[] Right { get; }

    public int Root => 2 * Osz - 2;
}

using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace DataPipeline.Filtering.FastText;

/// <summary>One prediction: a label's index in <see cref="FastTextModel.Labels"/> and its probability (float, as fastText returns it).</summary>
public readonly record struct FastTextPrediction(int Label, float Probability);

/// <summary>How a text's newlines are read.</summary>
public enum FastTextNewlines
{
    /// <summary>As fastText's <c>predictLine</c>: the text ends at its first newline (the rest is not read).</summary>
    EndLine,

    /// <summary>As datatrove's language filter (<c>text.replace("\n", " ")</c>): a newline separates words like a space.</summary>
    AsSpace,
}

/// <summary>
/// Predicts with a <see cref="FastTextModel"/> exactly as fastText 0.9.2's <c>predict</c>
/// (<c>FastText::predictLine</c>) does on one line: words split on ASCII whitespace and NUL,
/// <c>&lt;/s&gt;</c> appended at the line's end (and a literal <c>&lt;/s&gt;</c> ending the line),
/// each word's id and character n-gram buckets (OOV labels skipped), word n-grams, the averaged
/// hidden vector, then softmax / one-vs-all / negative-sampling outputs or the hierarchical
/// softmax's depth-first search, the top k above the threshold in fastText's order.
/// <para>
/// Works on UTF-8 bytes, keeps its buffers between calls and caches each distinct word's rows, so
/// a prediction allocates nothing. Not thread-safe: one predictor per thread.
/// </para>
/// </summary>
public sealed class FastTextPredictor
{
    private const int MaxCachedWord = 64;
    private const int CacheBits = 17;
    private const int CacheSlots = 1 << CacheBits;
    private const int CacheMaxEntries = CacheSlots / 2;
    private const int CacheMaxArena = 1 << 22;

    private static readonly SearchValues<byte> Separators = SearchValues.Create(" \n\r\t\v\f\0"u8);

    private readonly FastTextModel _model;
    private readonly FastTextDictionary _dict;
    private readonly InputMatrix _input;
    private readonly float[] _hidden;
    private readonly float[] _output;
    private readonly float[] _sigmoid;
    private readonly PredictionHeap _heap = new();
    private readonly int[] _pending = new int[1024];
    private int _pendingCount;
    private long _rowCount;
    private int[] _wordHashes = new int[256];
    private int _wordHashCount;
    private byte[] _utf8 = [];

    // Word cache: token bytes -> (kind, rows), open addressing on fastText's word hash.
    // Each slot holds the word's hash and where its rows, then its bytes, lie in one arena, so a
    // hit reads two places (the slot, then the rows with the key right after them).
    private readonly CacheSlot[] _slots = new CacheSlot[CacheSlots];
    private int _entryCount;
    private int[] _arena = new int[1 << 16];
    private int _arenaUsed;

    internal FastTextPredictor(FastTextModel model)
    {
        _model = model;
        _dict = model.Dictionary;
        _input = model.Input;
        _hidden = new float[model.Args.Dim];
        _output = new float[model.Output.Rows];
        _sigmoid = BuildSigmoidTable();
    }

    public FastTextModel Model => _model;

    /// <summary>
    /// Predicts the top <paramref name="k"/> labels (all of them for k = -1) whose probability is at
    /// least <paramref name="threshold"/>, best first, into <paramref name="predictions"/> (cleared first).
    /// An empty result means fastText predicts nothing for this text (no input row at all).
    /// </summary>
    public void Predict(ReadOnlySpan<byte> utf8, int k, float threshold, List<FastTextPrediction> predictions, FastTextNewlines newlines = FastTextNewlines.EndLine)
    {
        predictions.Clear();
        if (k == -1)
        {
            k = _model.Output.Rows;
        }
        else if (k <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k needs to be 1 or higher (or -1 for every label)");
        }
        if (newlines == FastTextNewlines.EndLine)
        {
            int nl = utf8.IndexOf((byte)'\n');
            if (nl >= 0)
            {
                utf8 = utf8[..nl];
            }
        }
        if (!ComputeHidden(utf8))
        {
            return;
        }
        _heap.Clear();
        if (_model.Tree is { } tree)
        {
            _model.Output.DotAll(_hidden, _output);
            Dfs(tree, k, threshold, tree.Root, 0f);
        }
        else
        {
            ComputeOutput();
            FindKBest(k, threshold);
        }
        _heap.Sort();
        for (int i = 0; i < _heap.Count; i++)
        {
            predictions.Add(new FastTextPrediction(_heap[i].Label, MathF.Exp(_heap[i].Score)));
        }
    }

    /// <summary>Predicts on a string (encoded to UTF-8 in a reused buffer; a lone surrogate becomes U+FFFD, as any UTF-8 encoder writes it).</summary>
    public void Predict(ReadOnlySpan<char> text, int k, float threshold, List<FastTextPrediction> predictions, FastTextNewlines newlines = FastTextNewlines.EndLine)
    {
        int n = System.Text.Encoding.UTF8.GetByteCount(text);
        if (_utf8.Length < n)
        {
            _utf8 = new byte[Math.Max(n, Math.Min(2 * _utf8.Length, Array.MaxLength))];
        }
        n = System.Text.Encoding.UTF8.GetBytes(text, _utf8);
        Predict(_utf8.AsSpan(0, n), k, threshold, predictions, newlines);
        if (_utf8.Length > 16 << 20)
        {
            // Do not hold on to a huge document's buffer.
            _utf8 = [];
        }
    }

    /// <summary>getLine + computeHidden: sums the rows of every word, then averages. False when there is no row.</summary>
    private bool ComputeHidden(ReadOnlySpan<byte> text)
    {
        Array.Clear(_hidden);
        _rowCount = 0;
        _pendingCount = 0;
        _wordHashCount = 0;
        bool ended = false;
        int pos = 0;
        while (pos < text.Length)
        {
            int start = text[pos..].IndexOfAnyExcept(Separators);
            if (start < 0)
            {
                break;
            }
            start += pos;
            int len = text[start..].IndexOfAny(Separators);
            if (len < 0)
            {
                len = text.Length - start;
            }
            pos = start + len;
            if (AddWord(text.Slice(start, len)))
            {
                // A literal </s> ends the line, as it does in fastText's getLine.
                ended = true;
                break;
            }
        }
        if (!ended)
        {
            AddWord(FastTextDictionary.EosBytes);
        }
        FlushPending();
        AddWordNgrams();
        FlushPending();
        if (_rowCount == 0)
        {
            return false;
        }
        float scale = (float)(1.0 / _rowCount);
        var h = _hidden.AsSpan();
        for (int i = 0; i < h.Length; i++)
        {
            h[i] *= scale;
        }
        return true;
    }

    /// <summary>One token of getLine: its rows (word id + subwords, or subwords of an OOV word), and its hash for word n-grams. True for &lt;/s&gt;.</summary>
    private bool AddWord(ReadOnlySpan<byte> token)
    {
        uint h = FastTextDictionary.Hash(token);
        int wid = _dict.Find(token, h);
        if (wid >= 0)
        {
            if (_dict.Types[wid] != 0)
            {
                // A label in the text: getLine files it as a label, not a word.
                return false;
            }
            FlushPending();
            var rows = _dict.Subwords(wid);
            _input.AddRows(_hidden, rows);
            _rowCount += rows.Length;
            PushWordHash(h);
            return wid == _dict.EosId;
        }
        if (token.StartsWith(FastTextDictionary.LabelPrefix))
        {
            return false;
        }
        bool eos = token.SequenceEqual(FastTextDictionary.EosBytes);
        if (!eos)
        {
            if (token.Length <= MaxCachedWord)
            {
                // Out-of-vocabulary words repeat too (numbers, names, words with punctuation
                // attached): their n-gram rows are cached.
                int e = CacheFind(h, token);
                if (e < 0)
                {
                    e = CacheAdd(h, token);
                }
                ref var entry = ref _slots[e];
                FlushPending();
                _input.AddRows(_hidden, _arena.AsSpan(entry.Start, entry.RowCount));
                _rowCount += entry.RowCount;
            }
            else
            {
                // Long tokens are not cached: stream their n-gram rows into the hidden vector.
                var sink = new PendingSink(this);
                _dict.ComputeSubwords(token, ref sink);
            }
        }
        PushWordHash(h);
        return eos;
    }

    private void PushWordHash(uint h)
    {
        if (_model.Args.WordNgrams <= 1)
        {
            return;
        }
        if (_wordHashCount == _wordHashes.Length)
        {
            Array.Resize(ref _wordHashes, _wordHashes.Length * 2);
        }
        _wordHashes[_wordHashCount++] = (int)h;
    }

    /// <summary>addWordNgrams: hashes of consecutive words (int32 hashes widened with their sign, as fastText's vector&lt;int32_t&gt; gives them).</summary>
    private void AddWordNgrams()
    {
        int n = _model.Args.WordNgrams;
        ulong bucket = (ulong)_model.Args.Bucket;
        if (n <= 1 || bucket == 0)
        {
            return;
        }
        var hashes = _wordHashes.AsSpan(0, _wordHashCount);
        for (int i = 0; i < hashes.Length; i++)
        {
            ulong h = (ulong)(long)hashes[i];
            for (int j = i + 1; j < hashes.Length && j < i + n; j++)
            {
                h = h * 116049371 + (ulong)(long)hashes[j];
                if (_dict.TryBucketRow((int)(h % bucket), out int row))
                {
                    AddPending(row);
                }
            }
        }
        if (_wordHashes.Length > 1 << 20)
        {
            _wordHashes = new int[256];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddPending(int row)
    {
        _pending[_pendingCount++] = row;
        if (_pendingCount == _pending.Length)
        {
            FlushPending();
        }
    }

    private void FlushPending()
    {
        if (_pendingCount > 0)
        {
            _input.AddRows(_hidden, _pending.AsSpan(0, _pendingCount));
            _rowCount += _pendingCount;
            _pendingCount = 0;
        }
    }

    private struct PendingSink(FastTextPredictor p) : IRowSink
    {
        public readonly void Add(int row) => p.AddPending(row);
    }

    private struct CacheSlot
    {
        public uint Hash;
        public int Start;
        public int RowCount;
        public int KeyLength;
    }

    /// <summary>The slot holding this word, or -1.</summary>
    private int CacheFind(uint h, ReadOnlySpan<byte> token)
    {
        int slot = (int)((h * 2654435769u) >> (32 - CacheBits));
        while (true)
        {
            ref var s = ref _slots[slot];
            if (s.KeyLength == 0)
            {
                return -1;
            }
            if (s.Hash == h && s.KeyLength == token.Length &&
                System.Runtime.InteropServices.MemoryMarshal.AsBytes(_arena.AsSpan(s.Start + s.RowCount)).Slice(0, token.Length).SequenceEqual(token))
            {
                return slot;
            }
            slot = (slot + 1) & (CacheSlots - 1);
        }
    }

    /// <summary>Computes an out-of-vocabulary word's n-gram rows into the cache; returns its slot.</summary>
    private int CacheAdd(uint h, ReadOnlySpan<byte> token)
    {
        int maxRows = (token.Length + 2) * Math.Max(1, _model.Args.Maxn);
        int need = maxRows + (token.Length + 3) / 4;
        if (_entryCount >= CacheMaxEntries || _arenaUsed + need > CacheMaxArena)
        {
            // Full: start again (the frequent words come back at once).
            Array.Clear(_slots);
            _entryCount = 0;
            _arenaUsed = 0;
        }
        if (_arenaUsed + need > _arena.Length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _arenaUsed + need));
        }
        int start = _arenaUsed;
        int rows = _dict.ComputeSubwordsShort(token, _arena.AsSpan(start, maxRows));
        token.CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_arena.AsSpan(start + rows)));
        _arenaUsed = start + rows + (token.Length + 3) / 4;
        _entryCount++;
        int slot = (int)((h * 2654435769u) >> (32 - CacheBits));
        while (_slots[slot].KeyLength != 0)
        {
            slot = (slot + 1) & (CacheSlots - 1);
        }
        _slots[slot] = new CacheSlot { Hash = h, Start = start, RowCount = rows, KeyLength = token.Length };
        return slot;
    }

    /// <summary>std_log: <c>std::log(x + 1e-5)</c> with x a float and 1e-5 a double, the result rounded to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float StdLog(float x) => (float)Math.Log(x + 1e-5);

    /// <summary>HierarchicalSoftmaxLoss::dfs over the precomputed node scores.</summary>
    private void Dfs(HuffmanTree tree, int k, float threshold, int node, float score)
    {
        if (score < StdLog(threshold))
        {
            return;
        }
        if (_heap.Count == k && score < _heap.FrontScore)
        {
            return;
        }
        if (tree.Left[node] == -1 && tree.Right[node] == -1)
        {
            _heap.Push(score, node);
            if (_heap.Count > k)
            {
                _heap.PopBack();
            }
            return;
        }
        float f = _output[node - tree.Osz];
        // f = 1. / (1 + std::exp(-f)): expf in float, 1 + it in float, the division in double.
        f = (float)(1.0 / (1f + MathF.Exp(-f)));
        Dfs(tree, k, threshold, tree.Left[node], score + StdLog((float)(1.0 - f)));
        Dfs(tree, k, threshold, tree.Right[node], score + StdLog(f));
    }

    /// <summary>computeOutput of the softmax, one-vs-all and negative-sampling losses.</summary>
    private void ComputeOutput()
    {
        var output = _output.AsSpan();
        _model.Output.DotAll(_hidden, output);
        if (_model.Args.Loss == FastTextLoss.Softmax)
        {
            float max = output[0];
            float z = 0f;
            for (int i = 0; i < output.Length; i++)
            {
                max = output[i] < max ? max : output[i];
            }
            for (int i = 0; i < output.Length; i++)
            {
                // loss.cc calls the C library's exp (double) on the float difference.
                output[i] = (float)Math.Exp(output[i] - max);
                z += output[i];
            }
            for (int i = 0; i < output.Length; i++)
            {
                output[i] /= z;
            }
        }
        else
        {
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = Sigmoid(output[i]);
            }
        }
    }

    /// <summary>Loss::findKBest.</summary>
    private void FindKBest(int k, float threshold)
    {
        var output = _output.AsSpan();
        for (int i = 0; i < output.Length; i++)
        {
            if (output[i] < threshold)
            {
                continue;
            }
            float logp = StdLog(output[i]);
            if (_heap.Count == k && logp < _heap.FrontScore)
            {
                continue;
            }
            _heap.Push(logp, i);
            if (_heap.Count > k)
            {
                _heap.PopBack();
            }
        }
    }

    private const int SigmoidTableSize = 512;
    private const int MaxSigmoid = 8;

    private static float[] BuildSigmoidTable()
    {
        var t = new float[SigmoidTableSize + 1];
        for (int i = 0; i < t.Length; i++)
        {
            float x = (float)(i * 2 * MaxSigmoid) / SigmoidTableSize - MaxSigmoid;
            t[i] = (float)(1.0 / (1.0 + MathF.Exp(-x)));
        }
        return t;
    }

    /// <summary>Loss::sigmoid: the 512-entry table fastText predicts with.</summary>
    private float Sigmoid(float x)
    {
        if (x < -MaxSigmoid)
        {
            return 0f;
        }
        if (x > MaxSigmoid)
        {
            return 1f;
        }
        long i = (long)((x + MaxSigmoid) * SigmoidTableSize / MaxSigmoid / 2);
        return _sigmoid[i];
    }
}

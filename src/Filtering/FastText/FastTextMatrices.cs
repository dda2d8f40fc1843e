using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DataPipeline.Filtering.FastText;

/// <summary>
/// A product quantizer as fastText stores it (<c>ProductQuantizer::load</c>): 256 centroids per
/// sub-space, the last sub-space possibly narrower.
/// </summary>
internal sealed class ProductQuantizer
{
    public const int KSub = 256;

    public ProductQuantizer(ModelReader r, string what)
    {
        Dim = r.Int32(what + " dim");
        NSubq = r.Int32(what + " nsubq");
        DSub = r.Int32(what + " dsub");
        LastDSub = r.Int32(what + " lastdsub");
        if (Dim <= 0 || NSubq <= 0 || DSub <= 0 || LastDSub <= 0 || (long)(NSubq - 1) * DSub + LastDSub != Dim)
        {
            throw r.Error($"{what} has inconsistent sizes (dim {Dim}, nsubq {NSubq}, dsub {DSub}, lastdsub {LastDSub})");
        }
        Centroids = r.Floats((long)Dim * KSub, what + " centroids");
    }

    public int Dim { get; }

    public int NSubq { get; }

    public int DSub { get; }

    public int LastDSub { get; }

    public float[] Centroids { get; }

    /// <summary>get_centroids(m, i): offset of centroid i of sub-space m.</summary>
    public int CentroidOffset(int m, byte i) =>
        m == NSubq - 1 ? m * KSub * DSub + i * LastDSub : (m * KSub + i) * DSub;

    /// <summary>Decodes one code into <paramref name="row"/>, each value <c>alpha * c[n]</c> rounded to float as addcode computes it.</summary>
    public void Decode(ReadOnlySpan<byte> code, float alpha, Span<float> row)
    {
        for (int m = 0; m < NSubq; m++)
        {
            int d = m == NSubq - 1 ? LastDSub : DSub;
            int c = CentroidOffset(m, code[m]);
            for (int n = 0; n < d; n++)
            {
                row[m * DSub + n] = alpha * Centroids[c + n];
            }
        }
    }
}

/// <summary>
/// A matrix as it appears in a model file: dense (<c>DenseMatrix::load</c>) or product-quantized
/// (<c>QuantMatrix::load</c>, with the optional quantized norms). Read into row-major floats plus,
/// for quantized rows, the per-row norm fastText multiplies by.
/// </summary>
internal sealed class LoadedMatrix
{
    private LoadedMatrix(long rows, long cols, float[] values, float[]? norms)
    {
        Rows = rows;
        Cols = cols;
        Values = values;
        Norms = norms;
    }

    public long Rows { get; }

    public long Cols { get; }

    /// <summary>Row-major values: dense values, or decoded centroids (without the norm) for a quantized matrix.</summary>
    public float[] Values { get; }

    /// <summary>Per-row norms of a quantized matrix (1 when it has none); null for a dense one.</summary>
    public float[]? Norms { get; }

    public static LoadedMatrix Read(ModelReader r, bool quantized, string what)
    {
        if (!quantized)
        {
            long m = r.Int64(what + " rows");
            long n = r.Int64(what + " columns");
            if (m < 0 || n <= 0 || m * n > int.MaxValue)
            {
                throw r.Error($"{what} has an impossible shape {m} x {n}");
            }
            return new LoadedMatrix(m, n, r.Floats(m * n, what + " values"), null);
        }
        bool qnorm = r.Bool(what + " qnorm flag");
        long qm = r.Int64(what + " rows");
        long qn = r.Int64(what + " columns");
        int codesize = r.Int32(what + " code size");
        if (qm < 0 || qn <= 0 || qm * qn > int.MaxValue)
        {
            throw r.Error($"{what} has an impossible shape {qm} x {qn}");
        }
        var codes = r.Bytes(codesize, what + " codes").ToArray();
        var pq = new ProductQuantizer(r, what + " quantizer");
        if (pq.Dim != qn || (long)pq.NSubq * qm != codesize)
        {
            throw r.Error($"{what}: quantizer of dimension {pq.Dim} with {pq.NSubq} sub-spaces does not fit a {qm} x {qn} matrix with {codesize} code bytes");
        }
        float[] norms = new float[qm];
        if (qnorm)
        {
            var normCodes = r.Bytes(qm, what + " norm codes");
            var npq = new ProductQuantizer(r, what + " norm quantizer");
            for (int i = 0; i < qm; i++)
            {
                // npq_->get_centroids(0, norm_codes_[i])[0]
                norms[i] = npq.Centroids[npq.CentroidOffset(0, normCodes[i])];
            }
        }
        else
        {
            Array.Fill(norms, 1f);
        }
        var values = new float[qm * qn];
        for (int i = 0; i < qm; i++)
        {
            pq.Decode(codes.AsSpan(i * pq.NSubq, pq.NSubq), 1f, values.AsSpan((int)(i * qn), (int)qn));
        }
        return new LoadedMatrix(qm, qn, values, norms);
    }

    /// <summary>Rows as fastText adds them to a vector: <c>x += alpha * c</c> with alpha the row's norm (addcode), or the dense row.</summary>
    public float[] RowsAsAdded()
    {
        if (Norms is null)
        {
            return Values;
        }
        var result = new float[Values.Length];
        for (long i = 0; i < Rows; i++)
        {
            float alpha = Norms[i];
            for (long j = 0; j < Cols; j++)
            {
                long k = i * Cols + j;
                result[k] = alpha * Values[k];
            }
        }
        return result;
    }
}

/// <summary>
/// The input matrix as the predictor uses it: one float row per word or n-gram bucket, each
/// already in the form fastText adds to the hidden vector, so averaging is a run of vector adds.
/// Adding element by element in fastText's row order gives the same floats as fastText.
/// </summary>
internal sealed class InputMatrix(float[] rows, int dim, int rowCount)
{
    public int Dim => dim;

    public int RowCount => rowCount;

    /// <summary>hidden += row for each row, in order.</summary>
    public void AddRows(Span<float> hidden, ReadOnlySpan<int> ids)
    {
        ref float h = ref MemoryMarshal.GetReference(hidden);
        ref float m = ref MemoryArrayRef;
        if (dim == 16 && Vector256.IsHardwareAccelerated)
        {
            var a = Vector256.LoadUnsafe(ref h);
            var b = Vector256.LoadUnsafe(ref h, 8);
            foreach (int id in ids)
            {
                nuint off = (nuint)id * 16;
                a += Vector256.LoadUnsafe(ref m, off);
                b += Vector256.LoadUnsafe(ref m, off + 8);
            }
            a.StoreUnsafe(ref h);
            b.StoreUnsafe(ref h, 8);
            return;
        }
        foreach (int id in ids)
        {
            AddRow(hidden, id);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddRow(Span<float> hidden, int id)
    {
        var row = rows.AsSpan(id * dim, dim);
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j <= dim - Vector<float>.Count; j += Vector<float>.Count)
            {
                (new Vector<float>(hidden[j..]) + new Vector<float>(row[j..])).CopyTo(hidden[j..]);
            }
        }
        for (; j < dim; j++)
        {
            hidden[j] += row[j];
        }
    }

    private ref float MemoryArrayRef => ref MemoryMarshal.GetArrayDataReference(rows);
}

/// <summary>
/// The output matrix: scores of every row against the hidden vector. Each score is summed in
/// fastText's order (<c>d += w[j] * x[j]</c> for j = 0..dim-1, then times the row's norm for a
/// quantized matrix), so the floats equal fastText's; the SIMD path computes several rows at once,
/// one per lane, which keeps that order within each row.
/// </summary>
internal sealed class OutputMatrix
{
    private readonly float[] _values;
    private readonly float[]? _norms;
    private readonly float[] _transposed;
    private readonly int _lanes = Vector<float>.Count;

    public OutputMatrix(LoadedMatrix m)
    {
        Rows = (int)m.Rows;
        Cols = (int)m.Cols;
        _values = m.Values;
        _norms = m.Norms;
        int blocks = (Rows + _lanes - 1) / _lanes;
        _transposed = new float[blocks * Cols * _lanes];
        for (int i = 0; i < Rows; i++)
        {
            int b = i / _lanes, lane = i % _lanes;
            for (int j = 0; j < Cols; j++)
            {
                _transposed[((b * Cols) + j) * _lanes + lane] = _values[i * Cols + j];
            }
        }
    }

    public int Rows { get; }

    public int Cols { get; }

    /// <summary>output[i] = dotRow(hidden, i) for every row.</summary>
    public void DotAll(ReadOnlySpan<float> hidden, Span<float> output)
    {
        if (Vector.IsHardwareAccelerated)
        {
            var t = _transposed.AsSpan();
            int blocks = (Rows + _lanes - 1) / _lanes;
            Span<float> lane = stackalloc float[_lanes];
            for (int b = 0; b < blocks; b++)
            {
                var acc = Vector<float>.Zero;
                int baseIndex = b * Cols * _lanes;
                for (int j = 0; j < Cols; j++)
                {
                    // Multiply, then add: two roundings, as fastText's scalar loop (no fused multiply-add).
                    acc += new Vector<float>(t.Slice(baseIndex + j * _lanes, _lanes)) * hidden[j];
                }
                acc.CopyTo(lane);
                int first = b * _lanes;
                int count = Math.Min(_lanes, Rows - first);
                lane[..count].CopyTo(output.Slice(first, count));
            }
        }
        else
        {
            for (int i = 0; i < Rows; i++)
            {
                float d = 0f;
                var row = _values.AsSpan(i * Cols, Cols);
                for (int j = 0; j < Cols; j++)
                {
                    d += row[j] * hidden[j];
                }
                output[i] = d;
            }
        }
        if (_norms is not null)
        {
            for (int i = 0; i < Rows; i++)
            {
                output[i] *= _norms[i];
            }
        }
    }
}

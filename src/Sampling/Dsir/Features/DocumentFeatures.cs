namespace DataPipeline.Sampling.Dsir.Features;

/// <summary>
/// The hashed n-gram counts of one document, sparse: the buckets hit, in ascending order, and their counts.
/// </summary>
/// <remarks>
/// Reusable: <see cref="DsirFeaturizer"/> refills it per document, so a task allocates it once.
/// Ascending bucket order matters: DSIR's weight is a BLAS dot product summed over buckets 0..B-1,
/// and summing the non-zero terms in the same order gives the same double (see <c>DsirImportanceModel</c>).
/// </remarks>
public sealed class DocumentFeatures
{
    private readonly int[] _dense;
    private readonly ulong[] _hit; // one bit per bucket with a non-zero count
    private int[] _touched = new int[256];
    private int _touchedCount;
    private bool _sorted = true;

    /// <summary>Creates an empty accumulator over <paramref name="numBuckets"/> buckets.</summary>
    public DocumentFeatures(int numBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numBuckets);
        _dense = new int[numBuckets];
        _hit = new ulong[(numBuckets + 63) >> 6];
    }

    /// <summary>Number of buckets.</summary>
    public int NumBuckets => _dense.Length;

    /// <summary>Total n-grams counted (upstream <c>counts.sum()</c>).</summary>
    public long TotalNgrams { get; private set; }

    /// <summary>The distinct buckets hit, ascending.</summary>
    public ReadOnlySpan<int> Buckets
    {
        get
        {
            if (!_sorted)
            {
                Order();
                _sorted = true;
            }

            return _touched.AsSpan(0, _touchedCount);
        }
    }

    /// <summary>The count of <paramref name="bucket"/> (0 if not hit).</summary>
    public int CountOf(int bucket) => _dense[bucket];

    /// <summary>Empties the accumulator (cost proportional to the buckets hit, not to <see cref="NumBuckets"/>).</summary>
    public void Clear()
    {
        for (int i = 0; i < _touchedCount; i++)
        {
            int bucket = _touched[i];
            _dense[bucket] = 0;
            _hit[bucket >> 6] = 0;
        }

        _touchedCount = 0;
        _sorted = true;
        TotalNgrams = 0;
    }

    /// <summary>Counts one n-gram in <paramref name="bucket"/>.</summary>
    public void Increment(int bucket)
    {
        if (_dense[bucket]++ == 0)
        {
            _hit[bucket >> 6] |= 1UL << bucket;
            if (_touchedCount == _touched.Length)
            {
                Array.Resize(ref _touched, Math.Min(_touched.Length * 2, _dense.Length));
            }

            if (_touchedCount > 0 && _touched[_touchedCount - 1] > bucket)
            {
                _sorted = false;
            }

            _touched[_touchedCount++] = bucket;
        }

        TotalNgrams++;
    }

    /// <summary>Puts the touched buckets in ascending order.</summary>
    /// <remarks>
    /// A document typically hits hundreds to thousands of the 10,000 default buckets, where reading the hit bitmap in
    /// order (one word per 64 buckets) is several times cheaper than sorting; with many buckets and few hits, sorting is.
    /// Both give the same ascending list.
    /// </remarks>
    private void Order()
    {
        var touched = _touched.AsSpan(0, _touchedCount);
        if (_hit.Length > _touchedCount * 4)
        {
            touched.Sort();
            return;
        }

        int n = 0;
        for (int word = 0; word < _hit.Length; word++)
        {
            ulong bits = _hit[word];
            while (bits != 0)
            {
                touched[n++] = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }
    }
}

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
    private int[] _touched = new int[256];
    private int _touchedCount;
    private bool _sorted = true;

    /// <summary>Creates an empty accumulator over <paramref name="numBuckets"/> buckets.</summary>
    public DocumentFeatures(int numBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numBuckets);
        _dense = new int[numBuckets];
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
                _touched.AsSpan(0, _touchedCount).Sort();
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
            _dense[_touched[i]] = 0;
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
}

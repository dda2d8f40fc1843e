namespace DataPipeline.Sampling.Dsir.Fitting;

/// <summary>
/// <c>np.sum</c> of a contiguous float64 vector, in numpy's summation order, so a smoothed target
/// distribution divides by the same double upstream does.
/// </summary>
/// <remarks>
/// Only matters for a fractional Laplace pseudo-count: with DSIR's default 0.0 (or any integer or
/// half-integer pseudo-count) every partial sum is an exactly representable integer and any order gives
/// the same result. The order implemented here (identity start, blocks of the 8,192-element ufunc
/// buffer, pairwise with an 8-way unrolled base case below 128 elements) is numpy 1.24's
/// <c>pairwise_sum_DOUBLE</c> as read from its source; the golden files do not exercise it.
/// </remarks>
public static class NumpySum
{
    private const int BufferSize = 8192;
    private const int BlockSize = 128;

    /// <summary>Sum of <paramref name="values"/> in numpy's order.</summary>
    public static double Sum(ReadOnlySpan<double> values)
    {
        double total = 0.0;
        for (int start = 0; start < values.Length; start += BufferSize)
        {
            total += Pairwise(values.Slice(start, Math.Min(BufferSize, values.Length - start)));
        }

        return total;
    }

    private static double Pairwise(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        if (n <= BlockSize)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            int i;
            for (i = 8; i < n - (n % 8); i += 8)
            {
                for (int j = 0; j < 8; j++)
                {
                    r[j] += a[i + j];
                }
            }

            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        int n2 = n / 2;
        n2 -= n2 % 8;
        return Pairwise(a[..n2]) + Pairwise(a[n2..]);
    }
}

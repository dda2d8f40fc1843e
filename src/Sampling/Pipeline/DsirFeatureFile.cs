using DataPipeline.Core.Errors;
using DataPipeline.Sampling.Dsir.Features;

namespace DataPipeline.Sampling.Pipeline;

/// <summary>
/// A counts task's per-document sparse features (<c>NAME.counts/part-RRRRR.features</c>), so the weights pass reads
/// each document's buckets instead of featurizing its text a second time.
/// </summary>
/// <remarks>
/// Format, per document in input order: LEB128 varint of the number of distinct buckets, then for each bucket in
/// ascending order the varint of its distance to the previous bucket (the first from 0) and the varint of its
/// count. Streamed through a 64 KB buffer both ways, so memory does not grow with the task. The weight computed
/// from it sums <c>count × log_diff[bucket]</c> in the same ascending order as
/// <see cref="Dsir.Fitting.DsirImportanceModel.LogImportanceWeight"/>, so it is the same double.
/// </remarks>
public static class DsirFeatureFile
{
    public const string Extension = ".features";

    /// <summary>Appends documents' features to a file.</summary>
    public sealed class Writer(string path) : IDisposable
    {
        private readonly FileStream _stream = new(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        private byte[] _scratch = new byte[1024];

        public void Write(DocumentFeatures features)
        {
            ArgumentNullException.ThrowIfNull(features);
            var buckets = features.Buckets;
            int needed = 5 + (buckets.Length * 10);
            if (_scratch.Length < needed)
            {
                _scratch = new byte[Math.Max(needed, _scratch.Length * 2)];
            }

            int w = WriteVarint(_scratch, 0, (uint)buckets.Length);
            int previous = 0;
            foreach (int bucket in buckets)
            {
                w = WriteVarint(_scratch, w, (uint)(bucket - previous));
                w = WriteVarint(_scratch, w, (uint)features.CountOf(bucket));
                previous = bucket;
            }

            _stream.Write(_scratch, 0, w);
        }

        public void Dispose() => _stream.Dispose();

        private static int WriteVarint(byte[] buffer, int at, uint value)
        {
            while (value >= 0x80)
            {
                buffer[at++] = (byte)(value | 0x80);
                value >>= 7;
            }

            buffer[at++] = (byte)value;
            return at;
        }
    }

    /// <summary>Reads documents' features back, one at a time, and scores them.</summary>
    public sealed class Reader(string path, int numBuckets) : IDisposable
    {
        private readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _position;
        private int _length;

        /// <summary>
        /// Reads the next document and returns its log importance weight under <paramref name="logDiff"/>;
        /// <paramref name="totalNgrams"/> is its n-gram count (upstream <c>counts.sum()</c>).
        /// </summary>
        public double Next(ReadOnlySpan<double> logDiff, out long totalNgrams)
        {
            uint distinct = ReadVarint();
            double sum = 0.0;
            long total = 0;
            int bucket = 0;
            for (uint i = 0; i < distinct; i++)
            {
                bucket += (int)ReadVarint();
                int count = (int)ReadVarint();
                if ((uint)bucket >= (uint)numBuckets || count <= 0)
                {
                    throw Corrupt();
                }

                sum += count * logDiff[bucket];
                total += count;
            }

            totalNgrams = total;
            return sum;
        }

        /// <summary>True when every document has been read.</summary>
        public bool AtEnd => _position == _length && _stream.Position == _stream.Length;

        public void Dispose() => _stream.Dispose();

        private uint ReadVarint()
        {
            uint value = 0;
            for (int shift = 0; shift < 35; shift += 7)
            {
                if (_position == _length)
                {
                    _length = _stream.Read(_buffer, 0, _buffer.Length);
                    _position = 0;
                    if (_length == 0)
                    {
                        throw Corrupt();
                    }
                }

                byte b = _buffer[_position++];
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }

            throw Corrupt();
        }

        private DataPipelineException Corrupt() =>
            new($"dsir: {path} is truncated or corrupt, or was written for other input (rerun the stage with --overwrite)");
    }
}

using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace DataPipeline.Dedup.Lsh;

/// <summary>
/// Each document's whole MinHash signature, kept small so that the cluster pass can confirm a candidate
/// pair by the fraction of signature values the two documents share (the MinHash estimate of their
/// Jaccard similarity). <c>part-RRRRR/sketch.bin</c>:
/// <code>
/// header 24 bytes: "DPMHSKT1" | u32 values per document | u32 0 | u64 documents
/// record: values × u16, the low 16 bits of each signature value ("b-bit minwise hashing", Li and König 2010)
/// </code>
/// One record per document in task order, so document i is at 24 + i × 2 × values. A document without a
/// signature gets a record of zeros; it is never a candidate. Two different 61-bit values agree in their
/// low 16 bits with probability 2^-16, which moves an estimate over 112 values by less than 10^-4.
/// </summary>
public static class SketchFile
{
    public const int HeaderSize = 24;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("DPMHSKT1");

    public static string PathIn(string taskDirectory) => Path.Combine(taskDirectory, "sketch.bin");

    /// <summary>Appends documents' sketches; the header's count is written by <see cref="Complete"/>.</summary>
    public sealed class Writer : IDisposable
    {
        private readonly FileStream _file;
        private readonly int _values;
        private readonly byte[] _record;
        private long _documents;

        public Writer(string path, int values)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _values = values;
            _record = new byte[values * 2];
            _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            _file.Write(new byte[HeaderSize]);
        }

        public void Add(ReadOnlySpan<ulong> signature)
        {
            if (signature.Length != _values) throw new ArgumentException($"a sketch holds {_values} values, got {signature.Length}");
            for (int i = 0; i < signature.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(_record.AsSpan(i * 2), (ushort)signature[i]);
            _file.Write(_record);
            _documents++;
        }

        public void AddEmpty()
        {
            Array.Clear(_record);
            _file.Write(_record);
            _documents++;
        }

        public void Complete()
        {
            var header = new byte[HeaderSize];
            Magic.CopyTo(header, 0);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), _values);
            BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(16), _documents);
            _file.Position = 0;
            _file.Write(header);
            _file.Flush();
        }

        public void Dispose() => _file.Dispose();
    }

    /// <summary>Random access to one task's sketches.</summary>
    public sealed class Reader : IDisposable
    {
        private readonly SafeFileHandle _file;
        private readonly string _path;

        public Reader(string path)
        {
            _path = path;
            if (!File.Exists(path)) throw new InvalidDataException($"{path}: missing (the signature pass wrote no sketches; rerun the stage with --overwrite)");
            _file = File.OpenHandle(path);
            Span<byte> header = stackalloc byte[HeaderSize];
            if (RandomAccess.Read(_file, header, 0) != HeaderSize) throw new InvalidDataException($"{path}: truncated header");
            BandFiles.CheckMagic(header, Magic, path);
            Values = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            Documents = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
            if (Values < 1 || RandomAccess.GetLength(_file) != HeaderSize + Documents * Values * 2)
            {
                throw new InvalidDataException($"{path}: length does not match {Documents} sketches of {Values} values (truncated or corrupt)");
            }
        }

        public int Values { get; }

        public long Documents { get; }

        /// <summary>Reads document <paramref name="doc"/>'s sketch into <paramref name="destination"/> (Values elements).</summary>
        public void Read(long doc, Span<ushort> destination)
        {
            if ((ulong)doc >= (ulong)Documents) throw new InvalidDataException($"{_path}: document {doc} of {Documents}");
            var bytes = MemoryMarshal.AsBytes(destination[..Values]);
            RandomAccess.Read(_file, bytes, HeaderSize + doc * Values * 2);
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < Values; i++) destination[i] = BinaryPrimitives.ReverseEndianness(destination[i]);
            }
        }

        public void Dispose() => _file.Dispose();
    }

    /// <summary>The fraction of positions at which two sketches agree: the MinHash estimate of Jaccard similarity.</summary>
    public static double Agreement(ReadOnlySpan<ushort> a, ReadOnlySpan<ushort> b)
    {
        if (a.Length != b.Length || a.IsEmpty) throw new ArgumentException("sketches of different lengths");
        int equal = 0, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= a.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                var eq = Vector.Equals(new Vector<ushort>(a[i..]), new Vector<ushort>(b[i..]));
                equal -= (short)Vector.Sum(Vector.AsVectorInt16(eq)); // each agreeing lane is all ones: -1
            }
        }
        for (; i < a.Length; i++) equal += a[i] == b[i] ? 1 : 0;
        return (double)equal / a.Length;
    }
}

using System.Runtime.InteropServices;

namespace DataPipeline.Core.Compression;

/// <summary>
/// The system's zlib, used for gzip input because .NET's GZipStream returns a clean end of stream
/// on a truncated file, which would lose the tail of a corpus without a word. inflate() tells us
/// whether each member reached its end. Multi-member (concatenated) gzip files are supported.
/// </summary>
internal static unsafe partial class NativeZlib
{
    private const string Lib = "libz.so.1";

    public const int ZOk = 0;
    public const int ZStreamEnd = 1;
    public const int ZBufError = -5;
    public const int ZNoFlush = 0;

    public static readonly bool IsAvailable = Probe();

    private static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("DATAPIPE_MANAGED_CODECS") == "1")
        {
            return false;
        }
        try
        {
            return NativeLibrary.TryLoad(Lib, typeof(NativeZlib).Assembly, null, out _) && zlibVersion() != null;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>zlib's z_stream on LP64 platforms.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ZStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public nuint TotalIn;
        public byte* NextOut;
        public uint AvailOut;
        public nuint TotalOut;
        public sbyte* Msg;
        public void* State;
        public void* ZAlloc;
        public void* ZFree;
        public void* Opaque;
        public int DataType;
        public nuint Adler;
        public nuint Reserved;
    }

    [LibraryImport(Lib)]
    public static partial byte* zlibVersion();

    [LibraryImport(Lib)]
    public static partial int inflateInit2_(ZStream* strm, int windowBits, byte* version, int streamSize);

    [LibraryImport(Lib)]
    public static partial int inflate(ZStream* strm, int flush);

    [LibraryImport(Lib)]
    public static partial int inflateReset(ZStream* strm);

    [LibraryImport(Lib)]
    public static partial int inflateEnd(ZStream* strm);
}

internal sealed unsafe class GzipDecompressStream : DecompressStreamBase
{
    private readonly Stream _source;
    private readonly byte[] _in = GC.AllocateUninitializedArray<byte>(1 << 17, pinned: true);
    private readonly NativeZlib.ZStream* _z;
    private int _inLength;
    private int _inPos;
    private bool _sourceDone;
    private bool _inMember;
    private bool _disposed;

    public GzipDecompressStream(Stream source)
    {
        _source = source;
        _z = (NativeZlib.ZStream*)NativeMemory.AllocZeroed((nuint)sizeof(NativeZlib.ZStream));
        // windowBits 15 + 16: gzip wrapper only, so a zlib or raw stream is reported as not gzip.
        int rc = NativeZlib.inflateInit2_(_z, 15 + 16, NativeZlib.zlibVersion(), sizeof(NativeZlib.ZStream));
        if (rc != NativeZlib.ZOk)
        {
            NativeMemory.Free(_z);
            throw new InvalidOperationException($"inflateInit2 failed ({rc})");
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (byte* outPtr = buffer)
        fixed (byte* inPtr = _in)
        {
            while (true)
            {
                if (_inPos == _inLength && !_sourceDone)
                {
                    _inLength = _source.Read(_in, 0, _in.Length);
                    _inPos = 0;
                    _sourceDone = _inLength == 0;
                }
                if (_inPos == _inLength && _sourceDone)
                {
                    if (_inMember)
                    {
                        throw new CompressedStreamException("gzip stream ends before its end-of-member trailer (file truncated?)", truncated: true);
                    }
                    return 0;
                }
                _z->NextIn = inPtr + _inPos;
                _z->AvailIn = (uint)(_inLength - _inPos);
                _z->NextOut = outPtr;
                _z->AvailOut = (uint)Math.Min(buffer.Length, int.MaxValue);
                _inMember = true;
                int rc = NativeZlib.inflate(_z, NativeZlib.ZNoFlush);
                int consumed = (_inLength - _inPos) - (int)_z->AvailIn;
                _inPos += consumed;
                int produced = buffer.Length - (int)_z->AvailOut;
                if (rc == NativeZlib.ZStreamEnd)
                {
                    // End of one member; another may follow (concatenated gzip). Trailing zero padding is tolerated.
                    _ = NativeZlib.inflateReset(_z);
                    _inMember = false;
                    SkipZeroPadding();
                }
                else if (rc != NativeZlib.ZOk && !(rc == NativeZlib.ZBufError && produced == 0 && consumed == 0))
                {
                    string msg = _z->Msg != null ? new string(_z->Msg) : $"zlib error {rc}";
                    throw new CompressedStreamException("corrupt gzip data: " + msg, truncated: false);
                }
                if (produced > 0)
                {
                    return produced;
                }
            }
        }
    }

    private void SkipZeroPadding()
    {
        while (true)
        {
            while (_inPos < _inLength && _in[_inPos] == 0)
            {
                _inPos++;
            }
            if (_inPos < _inLength || _sourceDone)
            {
                return;
            }
            _inLength = _source.Read(_in, 0, _in.Length);
            _inPos = 0;
            _sourceDone = _inLength == 0;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            _ = NativeZlib.inflateEnd(_z);
            NativeMemory.Free(_z);
            if (disposing)
            {
                _source.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}

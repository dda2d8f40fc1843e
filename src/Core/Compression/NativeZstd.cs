using System.Runtime.InteropServices;

namespace DataPipeline.Core.Compression;

/// <summary>
/// The system's libzstd, used for decompression because it is the floor we are measured against
/// (<c>zstd -dc</c>) and the managed port is about half its speed, and for compression, where the
/// managed port took 1.6 times as long (2.7 s against 1.7 s for the kept documents of the
/// development corpus, a third of a dedup run). Falls back to ZstdSharp when the library cannot be
/// loaded or DATAPIPE_MANAGED_CODECS=1.
/// </summary>
internal static unsafe partial class NativeZstd
{
    private const string Lib = "libzstd.so.1";

    public static readonly bool IsAvailable = Probe();

    private static bool Probe()
    {
        if (Environment.GetEnvironmentVariable("DATAPIPE_MANAGED_CODECS") == "1")
        {
            return false;
        }
        try
        {
            return NativeLibrary.TryLoad(Lib, typeof(NativeZstd).Assembly, null, out _) && ZSTD_versionNumber() >= 10400;
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

    [StructLayout(LayoutKind.Sequential)]
    public struct Buffer
    {
        public void* Data;
        public nuint Size;
        public nuint Pos;
    }

    [LibraryImport(Lib)]
    public static partial uint ZSTD_versionNumber();

    [LibraryImport(Lib)]
    public static partial nint ZSTD_createDStream();

    [LibraryImport(Lib)]
    public static partial nuint ZSTD_freeDStream(nint zds);

    [LibraryImport(Lib)]
    public static partial nuint ZSTD_initDStream(nint zds);

    [LibraryImport(Lib)]
    public static partial nuint ZSTD_decompressStream(nint zds, Buffer* output, Buffer* input);

    [LibraryImport(Lib)]
    public static partial uint ZSTD_isError(nuint code);

    [LibraryImport(Lib)]
    public static partial nuint ZSTD_compressBound(nuint srcSize);

    [LibraryImport(Lib)]
    public static partial nuint ZSTD_compress(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int compressionLevel);

    [LibraryImport(Lib)]
    public static partial nint ZSTD_createCCtx();

    [LibraryImport(Lib)]
    public static partial nuint ZSTD_freeCCtx(nint cctx);

    [LibraryImport(Lib)]
    public static partial nuint ZSTD_CCtx_setParameter(nint cctx, int parameter, int value);

    [LibraryImport(Lib)]
    public static partial nuint ZSTD_compressStream2(nint cctx, Buffer* output, Buffer* input, int endOp);

    /// <summary>ZSTD_c_compressionLevel.</summary>
    public const int CompressionLevelParameter = 100;

    /// <summary>ZSTD_e_continue, ZSTD_e_flush, ZSTD_e_end.</summary>
    public const int Continue = 0, FlushBlock = 1, End = 2;

    [LibraryImport(Lib)]
    public static partial byte* ZSTD_getErrorName(nuint code);

    public static string ErrorName(nuint code) => Marshal.PtrToStringAnsi((nint)ZSTD_getErrorName(code)) ?? "unknown error";
}

/// <summary>Streaming zstd decoder over libzstd; multi-frame files are read to the end, a cut frame is an error.</summary>
internal sealed unsafe class ZstdDecompressStream : DecompressStreamBase
{
    private readonly Stream _source;
    private readonly byte[] _in = GC.AllocateUninitializedArray<byte>(1 << 17, pinned: true);
    private nint _stream;
    private int _inLength;
    private int _inPos;
    private bool _sourceDone;
    private nuint _lastHint;
    private bool _sawInput;

    public ZstdDecompressStream(Stream source)
    {
        _source = source;
        _stream = NativeZstd.ZSTD_createDStream();
        if (_stream == 0)
        {
            throw new InvalidOperationException("ZSTD_createDStream failed");
        }
        NativeZstd.ZSTD_initDStream(_stream);
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }
        ObjectDisposedException.ThrowIf(_stream == 0, this);
        fixed (byte* outPtr = buffer)
        fixed (byte* inPtr = _in)
        {
            while (true)
            {
                if (_inPos == _inLength && !_sourceDone)
                {
                    _inLength = _source.Read(_in, 0, _in.Length);
                    _inPos = 0;
                    if (_inLength == 0)
                    {
                        _sourceDone = true;
                    }
                    else
                    {
                        _sawInput = true;
                    }
                }
                if (_inPos == _inLength && _sourceDone)
                {
                    // A hint of 0 means the last frame ended cleanly; anything else means the file was cut.
                    if (_lastHint != 0 && _sawInput)
                    {
                        throw new CompressedStreamException("zstd stream ends before its frame is complete (file truncated?)", truncated: true);
                    }
                    return 0;
                }
                var output = new NativeZstd.Buffer { Data = outPtr, Size = (nuint)buffer.Length, Pos = 0 };
                var input = new NativeZstd.Buffer { Data = inPtr + _inPos, Size = (nuint)(_inLength - _inPos), Pos = 0 };
                nuint hint = NativeZstd.ZSTD_decompressStream(_stream, &output, &input);
                if (NativeZstd.ZSTD_isError(hint) != 0)
                {
                    throw new CompressedStreamException("corrupt zstd data: " + NativeZstd.ErrorName(hint), truncated: false);
                }
                _lastHint = hint;
                _inPos += (int)input.Pos;
                if (output.Pos > 0)
                {
                    return (int)output.Pos;
                }
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_stream != 0)
        {
            NativeZstd.ZSTD_freeDStream(_stream);
            _stream = 0;
        }
        if (disposing)
        {
            _source.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>
/// Streaming zstd encoder over libzstd: one frame, single-threaded, so the bytes depend only on the
/// input, the level and the library's version. <see cref="Flush"/> ends the current block (as
/// ZstdSharp's does); disposing ends the frame.
/// </summary>
internal sealed unsafe class ZstdCompressStream : Stream
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly byte[] _out = GC.AllocateUninitializedArray<byte>(1 << 17, pinned: true);
    private nint _cctx;

    public ZstdCompressStream(Stream output, int level, bool leaveOpen)
    {
        _output = output;
        _leaveOpen = leaveOpen;
        _cctx = NativeZstd.ZSTD_createCCtx();
        if (_cctx == 0)
        {
            throw new InvalidOperationException("ZSTD_createCCtx failed");
        }
        Check(NativeZstd.ZSTD_CCtx_setParameter(_cctx, NativeZstd.CompressionLevelParameter, level));
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_cctx == 0, this);
        fixed (byte* src = buffer)
        {
            var input = new NativeZstd.Buffer { Data = src, Size = (nuint)buffer.Length, Pos = 0 };
            while (input.Pos < input.Size)
            {
                Drive(&input, NativeZstd.Continue);
            }
        }
    }

    public override void Flush()
    {
        ObjectDisposedException.ThrowIf(_cctx == 0, this);
        Finish(NativeZstd.FlushBlock);
        _output.Flush();
    }

    /// <summary>Runs ZSTD_compressStream2 with <paramref name="endOp"/> until it has nothing left to write.</summary>
    private void Finish(int endOp)
    {
        var empty = new NativeZstd.Buffer { Data = null, Size = 0, Pos = 0 };
        while (Drive(&empty, endOp) != 0)
        {
        }
    }

    /// <summary>One call: compresses what it can of <paramref name="input"/>, writes what it produced; returns what libzstd still holds.</summary>
    private nuint Drive(NativeZstd.Buffer* input, int endOp)
    {
        fixed (byte* dst = _out)
        {
            var output = new NativeZstd.Buffer { Data = dst, Size = (nuint)_out.Length, Pos = 0 };
            nuint remaining = NativeZstd.ZSTD_compressStream2(_cctx, &output, input, endOp);
            Check(remaining);
            if (output.Pos > 0)
            {
                _output.Write(_out, 0, (int)output.Pos);
            }
            return remaining;
        }
    }

    private static void Check(nuint code)
    {
        if (NativeZstd.ZSTD_isError(code) != 0)
        {
            throw new IOException("zstd compression failed: " + NativeZstd.ErrorName(code));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (_cctx != 0)
        {
            try
            {
                if (disposing)
                {
                    Finish(NativeZstd.End);
                }
            }
            finally
            {
                NativeZstd.ZSTD_freeCCtx(_cctx);
                _cctx = 0;
            }
            if (disposing && !_leaveOpen)
            {
                _output.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}

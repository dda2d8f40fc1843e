using System.Runtime.InteropServices;

namespace DataPipeline.Core.Compression;

/// <summary>
/// The system's libzstd, used for decompression because it is the floor we are measured against
/// (<c>zstd -dc</c>) and the managed port is about half its speed. Falls back to ZstdSharp when the
/// library cannot be loaded.
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

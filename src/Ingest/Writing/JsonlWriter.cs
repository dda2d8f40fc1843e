using System.Buffers;
using DataPipeline.Core.Compression;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Json;

namespace DataPipeline.Ingest.Writing;

/// <summary>JSON Lines, optionally gzip or zstd compressed (zstd level 3, single-threaded, so output is deterministic).</summary>
public sealed class JsonlWriter : IDocumentWriter
{
    private const int FlushAt = 1 << 20;
    private readonly FileStream _file;
    private readonly Stream _stream;
    private readonly string _idField;
    private readonly string _textField;
    private ArrayBufferWriter<byte> _buffer = new(FlushAt * 2);
    private bool _completed;

    public JsonlWriter(string path, Codec codec, string idField = "id", string textField = "text")
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1);
        _stream = Codecs.OpenWrite(_file, codec, leaveOpen: true);
        _idField = idField;
        _textField = textField;
    }

    public long DocumentsWritten { get; private set; }

    public void Write(Document document)
    {
        DocumentJson.Write(_buffer, document, _idField, _textField);
        DocumentsWritten++;
        FlushIfLarge();
    }


    /// <summary>Where side files (quarantine, removed documents) serialise their records; call <see cref="FlushIfLarge"/> after each.</summary>
    public IBufferWriter<byte> Buffer => _buffer;

    public void FlushIfLarge()
    {
        if (_buffer.WrittenCount >= FlushAt)
        {
            Flush();
        }
    }

    private void Flush()
    {
        _stream.Write(_buffer.WrittenSpan);
        if (_buffer.Capacity > FlushAt * 16)
        {
            _buffer = new ArrayBufferWriter<byte>(FlushAt * 2); // a huge document has passed; let its buffer go
        }
        else
        {
            _buffer.ResetWrittenCount();
        }
    }

    public void Complete()
    {
        Flush();
        _stream.Flush();
        if (!ReferenceEquals(_stream, _file))
        {
            _stream.Dispose();
        }
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        _completed = true;
    }

    public void Dispose()
    {
        if (!_completed && !ReferenceEquals(_stream, _file))
        {
            try
            {
                _stream.Dispose();
            }
            catch (IOException)
            {
                // abandoned file; its temp name is cleaned by the commit protocol
            }
        }
        _file.Dispose();
    }
}

namespace DataPipeline.Core.Documents;

/// <summary>
/// One document flowing through a pipeline: its id, its text, where it was read from, and the
/// metadata fields of its record, which every step passes on untouched unless it adds its own.
/// </summary>
public sealed class Document
{
    private string? _text;
    private ReadOnlyMemory<byte> _utf8;
    private bool _hasUtf8;
    private int _utf8Length = -1;

    public Document(string id, string text, DocumentOrigin origin, DocumentMetadata? metadata = null)
    {
        Id = id;
        _text = text;
        Origin = origin;
        Metadata = metadata ?? new DocumentMetadata();
    }

    /// <summary>
    /// A document whose text is held as UTF-8 (how readers produce it). The string form is made only
    /// when a step asks for <see cref="Text"/>, so a conversion or a byte-level step never pays for
    /// UTF-16 transcoding. <paramref name="utf8Text"/> must be valid UTF-8.
    /// </summary>
    public Document(string id, ReadOnlyMemory<byte> utf8Text, DocumentOrigin origin, DocumentMetadata? metadata = null)
    {
        Id = id;
        _utf8 = utf8Text;
        _hasUtf8 = true;
        _utf8Length = utf8Text.Length;
        Origin = origin;
        Metadata = metadata ?? new DocumentMetadata();
    }

    public string Id { get; set; }

    /// <summary>The text. Setting it replaces the UTF-8 form too.</summary>
    public string Text
    {
        get => _text ??= System.Text.Encoding.UTF8.GetString(_utf8.Span);
        set
        {
            _text = value;
            _utf8 = default;
            _hasUtf8 = false;
            _utf8Length = -1;
        }
    }

    /// <summary>The text as UTF-8, when the document holds it in that form (read from a file and not changed since).</summary>
    public bool TryGetUtf8(out ReadOnlyMemory<byte> utf8)
    {
        utf8 = _utf8;
        return _hasUtf8;
    }

    /// <summary>File and record position the document was read from (for ids, errors and audits; not written out).</summary>
    public DocumentOrigin Origin { get; }

    public DocumentMetadata Metadata { get; }

    /// <summary>UTF-8 length of the text in bytes, computed once.</summary>
    public int Utf8Length
    {
        get
        {
            if (_utf8Length < 0)
            {
                _utf8Length = System.Text.Encoding.UTF8.GetByteCount(_text!);
            }
            return _utf8Length;
        }
    }
}

/// <summary>Where a document came from: a file path as the user gave it and a 1-based line or 0-based row.</summary>
public readonly record struct DocumentOrigin(string File, long Position, OriginKind Kind)
{
    public override string ToString() => Kind switch
    {
        OriginKind.Line => $"{File}:{Position}",
        OriginKind.Row => $"{File} row {Position}",
        _ => File,
    };
}

public enum OriginKind
{
    /// <summary>Position is a 1-based line number.</summary>
    Line,
    /// <summary>Position is a 0-based row index.</summary>
    Row,
    /// <summary>The whole file is the document.</summary>
    File,
}

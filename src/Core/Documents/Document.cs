namespace DataPipeline.Core.Documents;

/// <summary>
/// One document flowing through a pipeline: its id, its text, where it was read from, and the
/// metadata fields of its record, which every step passes on untouched unless it adds its own.
/// </summary>
public sealed class Document
{
    public Document(string id, string text, DocumentOrigin origin, DocumentMetadata? metadata = null)
    {
        Id = id;
        Text = text;
        Origin = origin;
        Metadata = metadata ?? new DocumentMetadata();
    }

    public string Id { get; set; }

    public string Text { get; set; }

    /// <summary>File and record position the document was read from (for ids, errors and audits; not written out).</summary>
    public DocumentOrigin Origin { get; }

    public DocumentMetadata Metadata { get; }

    /// <summary>UTF-8 length of <see cref="Text"/>, computed once and cached until the text changes.</summary>
    public int Utf8Length
    {
        get
        {
            if (!ReferenceEquals(_measuredText, Text))
            {
                _utf8Length = System.Text.Encoding.UTF8.GetByteCount(Text);
                _measuredText = Text;
            }
            return _utf8Length;
        }
    }

    private string? _measuredText;
    private int _utf8Length;
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

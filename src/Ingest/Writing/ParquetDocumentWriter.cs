using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using DataPipeline.Core.Documents;
using Parquet;
using Parquet.Schema;

namespace DataPipeline.Ingest.Writing;

/// <summary>
/// Parquet (zstd-compressed pages). Documents are buffered into row groups of at most
/// <see cref="MaxRowGroupDocuments"/> documents or <see cref="MaxRowGroupBytes"/> bytes of text, so
/// memory stays bounded. The first row group fixes the schema: id, text, one typed column per
/// metadata field, and the overflow column (see <see cref="ParquetConventions"/>).
/// </summary>
public sealed class ParquetDocumentWriter : IDocumentWriter
{
    public const int MaxRowGroupDocuments = 50_000;
    public const long MaxRowGroupBytes = 64L << 20;

    private readonly FileStream _file;
    private readonly string _idField;
    private readonly string _textField;
    private readonly List<Document> _pending = [];
    private long _pendingBytes;
    private ParquetWriter? _writer;
    private List<(string Name, ColumnKind Kind, DataField Field)>? _columns;
    private DataField? _idColumn;
    private DataField? _textColumn;
    private DataField? _overflowColumn;
    private bool _completed;

    public ParquetDocumentWriter(string path, string idField = "id", string textField = "text")
    {
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _idField = idField;
        _textField = textField;
    }

    public long DocumentsWritten { get; private set; }

    public void Write(Document document)
    {
        _pending.Add(document);
        _pendingBytes += document.Text.Length;
        DocumentsWritten++;
        if (_pending.Count >= MaxRowGroupDocuments || _pendingBytes >= MaxRowGroupBytes)
        {
            WriteRowGroup();
        }
    }

    public void Complete()
    {
        if (_pending.Count > 0 || _writer is null)
        {
            WriteRowGroup();
        }
        _writer!.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _writer = null;
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        _completed = true;
    }

    private void WriteRowGroup()
    {
        if (_writer is null)
        {
            CreateWriter();
        }
        int n = _pending.Count;
        var ids = new string?[n];
        var texts = new string?[n];
        var overflow = new string?[n];
        var values = new object?[_columns!.Count][];
        for (int c = 0; c < values.Length; c++)
        {
            values[c] = new object?[n];
        }
        var extra = new List<(string Name, ReadOnlyMemory<byte> Json)>();
        for (int r = 0; r < n; r++)
        {
            var d = _pending[r];
            ids[r] = d.Id;
            texts[r] = d.Text;
            extra.Clear();
            foreach (var (name, json) in d.Metadata.Fields)
            {
                if (name == _idField || name == _textField || name == ParquetConventions.OverflowColumn)
                {
                    continue;
                }
                int c = _columns.FindIndex(col => col.Name == name);
                object? converted = c >= 0 ? Convert(json.Span, _columns[c].Kind) : null;
                if (converted is null)
                {
                    extra.Add((name, json));
                }
                else
                {
                    values[c][r] = converted;
                }
            }
            overflow[r] = extra.Count == 0 ? null : OverflowJson(extra);
        }
        using (var rg = _writer!.CreateRowGroup())
        {
            rg.WriteAsync(_idColumn!, ids).GetAwaiter().GetResult();
            rg.WriteAsync(_textColumn!, texts).GetAwaiter().GetResult();
            for (int c = 0; c < _columns.Count; c++)
            {
                var (_, kind, field) = _columns[c];
                var column = values[c];
                switch (kind)
                {
                    case ColumnKind.Long:
                        rg.WriteAsync<long>(field, column.Select(v => (long?)v).ToArray().AsMemory()).GetAwaiter().GetResult();
                        break;
                    case ColumnKind.Double:
                        rg.WriteAsync<double>(field, column.Select(v => (double?)v).ToArray().AsMemory()).GetAwaiter().GetResult();
                        break;
                    case ColumnKind.Bool:
                        rg.WriteAsync<bool>(field, column.Select(v => (bool?)v).ToArray().AsMemory()).GetAwaiter().GetResult();
                        break;
                    default:
                        rg.WriteAsync(field, column.Select(v => (string?)v).ToArray()).GetAwaiter().GetResult();
                        break;
                }
            }
            rg.WriteAsync(_overflowColumn!, overflow).GetAwaiter().GetResult();
        }
        _pending.Clear();
        _pendingBytes = 0;
    }

    private void CreateWriter()
    {
        // Infer each metadata field's column type from the first row group, in order of first appearance.
        var kinds = new List<(string Name, ColumnKind Kind)>();
        foreach (var d in _pending)
        {
            foreach (var (name, json) in d.Metadata.Fields)
            {
                if (name == _idField || name == _textField || name == ParquetConventions.OverflowColumn)
                {
                    continue;
                }
                var kind = Classify(json.Span);
                int i = kinds.FindIndex(k => k.Name == name);
                if (i < 0)
                {
                    kinds.Add((name, kind));
                }
                else if (kinds[i].Kind != kind)
                {
                    kinds[i] = (name, Widen(kinds[i].Kind, kind));
                }
            }
        }
        _idColumn = new DataField<string>(_idField, true);
        _textColumn = new DataField<string>(_textField, true);
        _overflowColumn = new DataField<string>(ParquetConventions.OverflowColumn, true);
        _columns = kinds.Select(k => (k.Name, k.Kind, (DataField)(k.Kind switch
        {
            ColumnKind.Long => new DataField<long?>(k.Name),
            ColumnKind.Double => new DataField<double?>(k.Name),
            ColumnKind.Bool => new DataField<bool?>(k.Name),
            _ => new DataField<string>(k.Name, true),
        }))).ToList();
        var schemaFields = new List<Field> { _idColumn, _textColumn };
        schemaFields.AddRange(_columns.Select(c => c.Field));
        schemaFields.Add(_overflowColumn);
        _writer = ParquetWriter.CreateAsync(new ParquetSchema(schemaFields), _file,
            new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Fastest }, append: false).GetAwaiter().GetResult();
        var jsonColumns = _columns.Where(c => c.Kind == ColumnKind.Json).Select(c => c.Name).ToArray();
        _writer.CustomMetadata = new Dictionary<string, string>
        {
            [ParquetConventions.JsonColumnsKey] = JsonSerializer.Serialize(jsonColumns),
            ["datapipe.writer"] = "DataPipeline",
        };
    }

    private enum ColumnKind
    {
        String,
        Long,
        Double,
        Bool,
        Json,
    }

    private static ColumnKind Classify(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return ColumnKind.Json;
        }
        return json[0] switch
        {
            (byte)'"' => ColumnKind.String,
            (byte)'t' or (byte)'f' => ColumnKind.Bool,
            (byte)'-' or (>= (byte)'0' and <= (byte)'9') =>
                json.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0 && Utf8Parser.TryParse(json, out long _, out int used) && used == json.Length
                    ? ColumnKind.Long
                    : ColumnKind.Double,
            _ => ColumnKind.Json,
        };
    }

    private static ColumnKind Widen(ColumnKind a, ColumnKind b) =>
        (a, b) is (ColumnKind.Long, ColumnKind.Double) or (ColumnKind.Double, ColumnKind.Long) ? ColumnKind.Double : ColumnKind.Json;

    /// <summary>The value in the column's type, or null when it does not fit (it then goes to the overflow column).</summary>
    private static object? Convert(ReadOnlySpan<byte> json, ColumnKind kind)
    {
        if (kind == ColumnKind.Json)
        {
            return Encoding.UTF8.GetString(json);
        }
        var actual = Classify(json);
        switch (kind)
        {
            case ColumnKind.String when actual == ColumnKind.String:
                var reader = new Utf8JsonReader(json);
                reader.Read();
                return reader.GetString();
            case ColumnKind.Long when actual == ColumnKind.Long:
                return Utf8Parser.TryParse(json, out long l, out _) ? l : null;
            case ColumnKind.Double when actual is ColumnKind.Long or ColumnKind.Double:
                return double.Parse(Encoding.UTF8.GetString(json), System.Globalization.CultureInfo.InvariantCulture);
            case ColumnKind.Bool when actual == ColumnKind.Bool:
                return json[0] == (byte)'t';
            default:
                return null;
        }
    }

    private static string OverflowJson(List<(string Name, ReadOnlyMemory<byte> Json)> fields)
    {
        var sb = new StringBuilder("{");
        for (int i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(JsonSerializer.Serialize(fields[i].Name)).Append(':').Append(Encoding.UTF8.GetString(fields[i].Json.Span));
        }
        return sb.Append('}').ToString();
    }

    public void Dispose()
    {
        if (!_completed && _writer is not null)
        {
            try
            {
                _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (IOException)
            {
                // abandoned file
            }
        }
        _file.Dispose();
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Ingest.Writing;
using Parquet;
using Parquet.Schema;

namespace DataPipeline.Ingest.Reading;

/// <summary>
/// Parquet, one row group in memory at a time. Flat columns of every primitive type become
/// metadata; nested columns (lists, structs, maps) are not read (counted once per file as a
/// warning in the fault note). Columns our own writer marked as JSON are decoded back to the
/// values they held, and the overflow column restores fields that did not fit the file's schema.
/// </summary>
public sealed class ParquetDocumentReader(ReaderOptions options) : IDocumentReader
{
    public IEnumerable<Document> Read(InputSlice slice, InputFile file, FileStats stats, ReadErrorPolicy errors, Action<long>? progress)
    {
        FileStream? fs = null;
        ParquetReader? reader = null;
        string? fault = null;
        try
        {
            fs = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (fs.Length == 0)
            {
                fs.Dispose();
                yield break;
            }
            reader = ParquetReader.CreateAsync(fs, new ParquetOptions { TreatByteArrayAsString = false }, leaveStreamOpen: false).GetAwaiter().GetResult();
        }
        catch (Exception e) when (ReadFaults.IsReadFault(e))
        {
            fault = e.Message;
        }
        if (reader is null)
        {
            fs?.Dispose();
            errors.FileFault(new InputException(file.DisplayPath, null, ErrorReasons.CorruptParquet, "cannot open as Parquet: " + fault), stats);
            yield break;
        }

        using (fs)
        using (new AsyncDisposer(reader))
        {
            var fields = reader.Schema.GetDataFields();
            var jsonColumns = ParquetConventions.JsonColumns(reader.CustomMetadata);
            var textField = fields.FirstOrDefault(f => f.Name == options.TextField && !f.IsArray && f.Path.Length == 1);
            if (textField is null)
            {
                errors.FileFault(new InputException(file.DisplayPath, null, ErrorReasons.MissingText,
                    $"no top-level column '{options.TextField}'; columns: {string.Join(", ", fields.Select(f => f.Path.ToString()))}"), stats);
                yield break;
            }
            var flat = fields.Where(f => !f.IsArray && f.Path.Length == 1).ToArray();
            int firstGroup = slice.Kind == SliceKind.RowGroups ? (int)slice.Start : 0;
            int endGroup = slice.Kind == SliceKind.RowGroups ? (int)slice.End : reader.RowGroupCount;
            long rowBase = 0;
            for (int g = 0; g < firstGroup; g++)
            {
                rowBase += reader.RowGroups[g].RowCount;
            }
            long perGroupBytes = Math.Max(1, file.Size / Math.Max(1, reader.RowGroupCount));
            for (int g = firstGroup; g < endGroup; g++)
            {
                List<Document>? batch = null;
                try
                {
                    batch = ReadGroup(reader, g, flat, textField, jsonColumns, file, rowBase, stats, errors);
                }
                catch (Exception e) when (ReadFaults.IsReadFault(e))
                {
                    fault = e.Message;
                }
                if (batch is null)
                {
                    errors.FileFault(new InputException(file.DisplayPath, $"row group {g}", ErrorReasons.CorruptParquet, "cannot read row group: " + fault), stats);
                    yield break;
                }
                rowBase += reader.RowGroups[g].RowCount;
                progress?.Invoke(perGroupBytes);
                foreach (var d in batch)
                {
                    yield return d;
                }
            }
        }
    }

    private List<Document> ReadGroup(ParquetReader reader, int group, DataField[] fields, DataField textField, HashSet<string> jsonColumns,
        InputFile file, long rowBase, FileStats stats, ReadErrorPolicy errors)
    {
        using var rg = reader.OpenRowGroupReader(group);
        int rows = checked((int)rg.RowCount);
        var columns = new (DataField Field, object?[] Values)[fields.Length];
        for (int c = 0; c < fields.Length; c++)
        {
            columns[c] = (fields[c], ReadColumn(rg, fields[c], rows));
        }
        var result = new List<Document>(rows);
        for (int r = 0; r < rows; r++)
        {
            long row = rowBase + r;
            string? text = null;
            string? id = null;
            var metadata = new DocumentMetadata();
            byte[]? overflow = null;
            foreach (var (field, values) in columns)
            {
                var v = values[r];
                if (field == textField)
                {
                    text = v as string;
                }
                else if (field.Name == options.IdField && v is not null)
                {
                    id = v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture);
                }
                else if (field.Name == ParquetConventions.OverflowColumn)
                {
                    overflow = v is string s ? Encoding.UTF8.GetBytes(s) : null;
                }
                else if (v is not null)
                {
                    metadata.SetRaw(field.Name, jsonColumns.Contains(field.Name) && v is string s ? Encoding.UTF8.GetBytes(s) : JsonValues.From(v));
                }
            }
            if (overflow is not null)
            {
                ParquetConventions.MergeOverflow(metadata, overflow);
            }
            if (text is null)
            {
                errors.BadRecord(new InputException(file.DisplayPath, "row " + row.ToString(CultureInfo.InvariantCulture), ErrorReasons.MissingText,
                    $"column '{options.TextField}' is null"), [], stats);
                continue;
            }
            stats.Records++;
            stats.Documents++;
            result.Add(new Document(id ?? file.IdName + "/" + row.ToString(CultureInfo.InvariantCulture), text,
                new DocumentOrigin(file.DisplayPath, row, OriginKind.Row), metadata));
        }
        return result;
    }

    private static object?[] ReadColumn(ParquetRowGroupReader rg, DataField field, int rows)
    {
        var t = field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[rows];
            rg.ReadAsync(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
            return values;
        }
        if (t == typeof(byte[]))
        {
            var values = new byte[]?[rows];
            rg.ReadAsync(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
            return values;
        }
        return t switch
        {
            _ when t == typeof(long) => Read<long>(rg, field, rows),
            _ when t == typeof(int) => Read<int>(rg, field, rows),
            _ when t == typeof(short) => Read<short>(rg, field, rows),
            _ when t == typeof(sbyte) => Read<sbyte>(rg, field, rows),
            _ when t == typeof(byte) => Read<byte>(rg, field, rows),
            _ when t == typeof(ushort) => Read<ushort>(rg, field, rows),
            _ when t == typeof(uint) => Read<uint>(rg, field, rows),
            _ when t == typeof(ulong) => Read<ulong>(rg, field, rows),
            _ when t == typeof(double) => Read<double>(rg, field, rows),
            _ when t == typeof(float) => Read<float>(rg, field, rows),
            _ when t == typeof(bool) => Read<bool>(rg, field, rows),
            _ when t == typeof(decimal) => Read<decimal>(rg, field, rows),
            _ when t == typeof(DateTime) => Read<DateTime>(rg, field, rows),
            _ when t == typeof(DateOnly) => Read<DateOnly>(rg, field, rows),
            _ when t == typeof(TimeSpan) => Read<TimeSpan>(rg, field, rows),
            _ when t == typeof(Guid) => Read<Guid>(rg, field, rows),
            _ => throw new NotSupportedException($"column '{field.Name}' has unsupported type {t.Name}"),
        };
    }

    private static object?[] Read<T>(ParquetRowGroupReader rg, DataField field, int rows)
        where T : struct
    {
        var values = new T?[rows];
        rg.ReadAsync<T>(field, values.AsMemory()).AsTask().GetAwaiter().GetResult();
        var boxed = new object?[rows];
        for (int i = 0; i < rows; i++)
        {
            boxed[i] = values[i];
        }
        return boxed;
    }
}

/// <summary>Lets a using block dispose the reader, which is only IAsyncDisposable.</summary>
internal readonly struct AsyncDisposer(IAsyncDisposable target) : IDisposable
{
    public void Dispose() => target.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

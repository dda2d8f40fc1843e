using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Errors;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;

namespace DataPipeline.Ingest.Reading;

/// <summary>
/// Arrow IPC, file format (<c>ARROW1</c> magic) or stream format, one record batch at a time.
/// String, numeric, boolean and timestamp columns become metadata; nested columns are not read.
/// </summary>
public sealed class ArrowDocumentReader(ReaderOptions options) : IDocumentReader
{
    public IEnumerable<Document> Read(InputSlice slice, InputFile file, FileStats stats, ReadErrorPolicy errors, Action<long>? progress)
    {
        var fs = new FileStream(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (fs.Length == 0)
        {
            fs.Dispose();
            yield break;
        }
        Span<byte> magic = stackalloc byte[6];
        int n = fs.ReadAtLeast(magic, 6, throwOnEndOfStream: false);
        fs.Position = 0;
        bool isFile = n == 6 && magic.SequenceEqual("ARROW1"u8);
        ArrowStreamReader reader = isFile ? new ArrowFileReader(fs) : new ArrowStreamReader(fs);
        long row = 0;
        long lastPosition = 0;
        using (fs)
        using (reader)
        {
            while (true)
            {
                RecordBatch? batch;
                string? fault = null;
                try
                {
                    batch = reader.ReadNextRecordBatch();
                }
                catch (Exception e) when (ReadFaults.IsReadFault(e))
                {
                    batch = null;
                    fault = e.Message;
                }
                if (fault is not null)
                {
                    errors.FileFault(new InputException(file.DisplayPath, $"after row {row}", ErrorReasons.CorruptArrow, "cannot read Arrow record batch: " + fault), stats);
                    yield break;
                }
                if (batch is null)
                {
                    yield break;
                }
                using (batch)
                {
                    progress?.Invoke(fs.Position - lastPosition);
                    lastPosition = fs.Position;
                    var fieldsList = batch.Schema.FieldsList;
                    int textIndex = -1;
                    for (int c = 0; c < fieldsList.Count; c++)
                    {
                        if (fieldsList[c].Name == options.TextField)
                        {
                            textIndex = c;
                        }
                    }
                    if (textIndex < 0)
                    {
                        errors.FileFault(new InputException(file.DisplayPath, null, ErrorReasons.MissingText,
                            $"no column '{options.TextField}'; columns: {string.Join(", ", fieldsList.Select(f => f.Name))}"), stats);
                        yield break;
                    }
                    for (int r = 0; r < batch.Length; r++, row++)
                    {
                        string? text = Value(batch.Column(textIndex), r) as string;
                        string? id = null;
                        var metadata = new DocumentMetadata();
                        for (int c = 0; c < fieldsList.Count; c++)
                        {
                            if (c == textIndex)
                            {
                                continue;
                            }
                            var v = Value(batch.Column(c), r);
                            if (fieldsList[c].Name == options.IdField && v is not null)
                            {
                                id = v as string ?? Convert.ToString(v, CultureInfo.InvariantCulture);
                            }
                            else if (v is not null)
                            {
                                metadata.SetRaw(fieldsList[c].Name, JsonValues.From(v));
                            }
                        }
                        if (text is null)
                        {
                            errors.BadRecord(new InputException(file.DisplayPath, "row " + row.ToString(CultureInfo.InvariantCulture), ErrorReasons.MissingText,
                                $"column '{options.TextField}' is null or not a string"), [], stats);
                            continue;
                        }
                        stats.Records++;
                        stats.Documents++;
                        yield return new Document(id ?? file.IdName + "/" + row.ToString(CultureInfo.InvariantCulture), text,
                            new DocumentOrigin(file.DisplayPath, row, OriginKind.Row), metadata);
                    }
                }
            }
        }
    }

    private static object? Value(IArrowArray array, int i)
    {
        if (array.IsNull(i))
        {
            return null;
        }
        return array switch
        {
            StringArray s => s.GetString(i),
            LargeStringArray s => s.GetString(i),
            StringViewArray s => s.GetString(i),
            Int64Array a => a.GetValue(i),
            Int32Array a => a.GetValue(i),
            Int16Array a => a.GetValue(i),
            Int8Array a => a.GetValue(i),
            UInt64Array a => a.GetValue(i),
            UInt32Array a => a.GetValue(i),
            UInt16Array a => a.GetValue(i),
            UInt8Array a => a.GetValue(i),
            DoubleArray a => a.GetValue(i),
            FloatArray a => a.GetValue(i),
            BooleanArray a => a.GetValue(i),
            TimestampArray a => a.GetTimestamp(i),
            Date32Array a => a.GetDateOnly(i),
            Date64Array a => a.GetDateOnly(i),
            BinaryArray a => a.GetBytes(i).ToArray(),
            _ => null,
        };
    }
}

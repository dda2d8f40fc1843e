using System.Globalization;
using System.Text;
using DataPipeline.Core.Compression;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Report.Data;

/// <summary>Per-document figures of a bounded sample of documents: lengths, and language metadata when present.</summary>
public sealed class DocumentSample
{
    public List<double> Characters { get; } = [];

    public List<double> Words { get; } = [];

    /// <summary>Documents per <c>language</c> value (only documents that carry one).</summary>
    public SortedDictionary<string, long> Languages { get; } = new(StringComparer.Ordinal);

    public List<double> LanguageScores { get; } = [];

    public int Count => Characters.Count;

    /// <summary>Pieces a big uncompressed JSONL file is cut into for sampling.</summary>
    private const int SlicesPerFile = 32;

    /// <summary>
    /// Reads up to <paramref name="maxDocuments"/> documents, the same share from the head of
    /// every slice: reading heads keeps it fast on a large run (nothing is read to its end), and
    /// taking from every part, and from byte ranges spread over a big uncompressed file, keeps
    /// one source at the start of a corpus from standing for all of it. (A compressed stream can
    /// only be read from its start: there the sample is its head.)
    /// </summary>
    public static DocumentSample Read(IReadOnlyList<string> files, int maxDocuments)
    {
        var sample = new DocumentSample();
        if (files.Count == 0 || maxDocuments <= 0)
        {
            return sample;
        }
        var options = new ReaderOptions();
        var slices = files.SelectMany(Slices).ToList();
        int perSlice = Math.Max(1, (maxDocuments + slices.Count - 1) / slices.Count);
        foreach (var slice in slices)
        {
            var path = slice.Path;
            if (slice.Kind == SliceKind.ByteRange)
            {
                foreach (var doc in JsonlAt(path, slice.Start, Math.Min(perSlice, maxDocuments - sample.Count)))
                {
                    sample.Add(doc);
                }
                continue;
            }
            var reader = InputFormats.CreateReader(InputFormats.Detect(path, "auto"), options);
            var file = new InputFile(path, path, Path.GetFileName(path), slice.Size);
            var errors = new ReadErrorPolicy(false, new TaskStats(), null);
            int taken = 0;
            foreach (var doc in reader.Read(slice, file, new FileStats { Path = path }, errors, null))
            {
                sample.Add(doc);
                if (++taken >= perSlice || sample.Count >= maxDocuments)
                {
                    break;
                }
            }
            if (sample.Count >= maxDocuments)
            {
                break;
            }
        }
        return sample;
    }

    /// <summary>Byte ranges of a big uncompressed JSONL file (each read from its offset, below); otherwise the file whole.</summary>
    private static IEnumerable<InputSlice> Slices(string path)
    {
        long size = new FileInfo(path).Length;
        return size > SliceBytes * 2 && InputFormats.Detect(path, "auto") == "jsonl" && Codecs.FromFileName(path) == Codec.None
            ? Enumerable.Range(0, SlicesPerFile).Select(i => new InputSlice(path, size, SliceKind.ByteRange, size * i / SlicesPerFile, size * (i + 1) / SlicesPerFile))
            : [InputSlice.WholeFile(path, size)];
    }

    private const int SliceBytes = 1 << 20;

    /// <summary>
    /// Up to <paramref name="max"/> documents from the lines that start after <paramref name="offset"/>,
    /// within one read of <see cref="SliceBytes"/>. The pipeline's reader would count every line
    /// before the offset to keep line numbers true, which costs seconds on a large file; a sample
    /// needs no line numbers. A line cut by the end of the read is left out.
    /// </summary>
    private static List<Document> JsonlAt(string path, long offset, int max)
    {
        var docs = new List<Document>();
        var buffer = new byte[SliceBytes];
        int n;
        using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.RandomAccess))
        {
            fs.Seek(offset, SeekOrigin.Begin);
            n = fs.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        var span = buffer.AsSpan(0, n);
        if (offset > 0)
        {
            int first = span.IndexOf((byte)'\n');
            span = first < 0 ? [] : span[(first + 1)..];
        }
        var parser = new JsonRecordParser("text", "id");
        while (docs.Count < max)
        {
            int nl = span.IndexOf((byte)'\n');
            if (nl < 0)
            {
                break;
            }
            var line = span[..nl].TrimEnd((byte)'\r');
            span = span[(nl + 1)..];
            if (line.IsEmpty)
            {
                continue;
            }
            if (parser.Parse(line, "", new DocumentOrigin(path, 0, OriginKind.Line), out _, out _) is { } doc)
            {
                docs.Add(doc);
            }
        }
        return docs;
    }

    private void Add(Document doc)
    {
        var (chars, words) = Measure(doc.Text);
        Characters.Add(chars);
        Words.Add(words);
        if (doc.Metadata.GetString("language") is { } language)
        {
            Languages[language] = Languages.GetValueOrDefault(language) + 1;
        }
        if (doc.Metadata.TryGetRaw("language_score", out var raw)
            && double.TryParse(Encoding.UTF8.GetString(raw.Span), NumberStyles.Float, CultureInfo.InvariantCulture, out var score))
        {
            LanguageScores.Add(score);
        }
    }

    /// <summary>Code points (as the length filter counts them) and whitespace-separated words, in one pass.</summary>
    public static (int Chars, int Words) Measure(string text)
    {
        int chars = 0, words = 0;
        bool inWord = false;
        foreach (char c in text)
        {
            if (!char.IsLowSurrogate(c))
            {
                chars++;
            }
            bool space = char.IsWhiteSpace(c);
            if (!space && !inWord)
            {
                words++;
            }
            inWord = !space;
        }
        return (chars, words);
    }
}

using System.Globalization;
using System.Text;
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

    /// <summary>
    /// Reads up to <paramref name="maxDocuments"/> documents, the same share from the head of
    /// every file: reading heads keeps it fast on a large run (no file is read to its end), and
    /// taking from every part spreads the sample over the whole input, which is in input order.
    /// </summary>
    public static DocumentSample Read(IReadOnlyList<string> files, int maxDocuments)
    {
        var sample = new DocumentSample();
        if (files.Count == 0 || maxDocuments <= 0)
        {
            return sample;
        }
        int perFile = Math.Max(1, (maxDocuments + files.Count - 1) / files.Count);
        var options = new ReaderOptions();
        foreach (var path in files)
        {
            var reader = InputFormats.CreateReader(InputFormats.Detect(path, "auto"), options);
            var file = new InputFile(path, path, Path.GetFileName(path), new FileInfo(path).Length);
            var errors = new ReadErrorPolicy(false, new TaskStats(), null);
            int taken = 0;
            foreach (var doc in reader.Read(InputSlice.WholeFile(path, file.Size), file, new FileStats { Path = path }, errors, null))
            {
                sample.Add(doc);
                if (++taken >= perFile || sample.Count >= maxDocuments)
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

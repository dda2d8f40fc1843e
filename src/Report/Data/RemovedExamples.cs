using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Report.Data;

/// <summary>One removed document shown in the report.</summary>
public sealed record RemovedExample(string Id, string Preview, int Characters);

/// <summary>
/// A few removed documents per "step/reason", from <c>removed/&lt;stage&gt;/</c>. Reading stops as
/// soon as every reason has its examples, or after a byte budget: on a large run most input ends
/// up there, and a rare reason is not worth reading hundreds of megabytes for.
/// </summary>
public static class RemovedExamples
{
    public const int PreviewChars = 300;

    public static SortedDictionary<string, List<RemovedExample>> Read(IReadOnlyList<string> parts, IEnumerable<string> reasons, int perReason, long byteBudget)
    {
        var wanted = new HashSet<string>(reasons, StringComparer.Ordinal);
        var result = new SortedDictionary<string, List<RemovedExample>>(StringComparer.Ordinal);
        if (parts.Count == 0 || wanted.Count == 0)
        {
            return result;
        }
        // The budget is shared by the parts so that every task's slice of the input is looked at.
        long perPart = Math.Max(1, byteBudget / parts.Count);
        int open = wanted.Count;
        var reader = new JsonlReader(new ReaderOptions());
        foreach (var path in parts)
        {
            var size = new FileInfo(path).Length;
            var file = new InputFile(path, path, Path.GetFileName(path), size);
            long consumed = 0;
            foreach (var doc in reader.Read(InputSlice.WholeFile(path, size), file, new FileStats { Path = path },
                new ReadErrorPolicy(false, new TaskStats(), null), n => consumed += n))
            {
                var key = doc.Metadata.GetString("removed_by") + "/" + doc.Metadata.GetString("reason");
                if (wanted.Contains(key))
                {
                    if (!result.TryGetValue(key, out var list))
                    {
                        result[key] = list = [];
                    }
                    if (list.Count < perReason)
                    {
                        var text = doc.Text;
                        var (chars, _) = DocumentSample.Measure(text);
                        list.Add(new RemovedExample(doc.Id, Cut(text), chars));
                        if (list.Count == perReason && --open == 0)
                        {
                            return result;
                        }
                    }
                }
                if (consumed > perPart)
                {
                    break;
                }
            }
        }
        return result;
    }

    /// <summary>The first <see cref="PreviewChars"/> characters, never splitting a surrogate pair.</summary>
    public static string Cut(string text)
    {
        if (text.Length <= PreviewChars)
        {
            return text;
        }
        int end = char.IsHighSurrogate(text[PreviewChars - 1]) ? PreviewChars - 1 : PreviewChars;
        return text[..end] + "…";
    }
}

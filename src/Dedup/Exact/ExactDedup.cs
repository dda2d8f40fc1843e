using System.IO.Hashing;
using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Steps;
using DataPipeline.Dedup.Text;

namespace DataPipeline.Dedup.Exact;

/// <summary>
/// The exact-duplicate key of a text: XxHash128 of the UTF-8 of its datatrove-normalised form, so
/// texts differing only in case, punctuation, whitespace, digits or diacritics count as equal.
/// 128 bits make an accidental collision negligible (~n²/2^129).
/// </summary>
public static class ExactDedupHash
{
    public static UInt128 Of(string text) => XxHash128.HashToUInt128(Encoding.UTF8.GetBytes(DedupTextNormalizer.Normalize(text)));

    /// <summary>Without normalisation: byte-identical texts only.</summary>
    public static UInt128 OfRaw(ReadOnlySpan<byte> utf8) => XxHash128.HashToUInt128(utf8);
}

/// <summary>
/// Keeps the first document of every exact-duplicate group in stream order (the document index
/// order) and removes the rest with reason "exact-duplicate". In-memory: 16 bytes of key (plus
/// HashSet overhead, ~40 bytes) per distinct document, in a single task.
/// </summary>
public sealed class ExactDedupStep(bool normalize = true) : IPipelineStep
{
    private readonly HashSet<UInt128> _seen = [];

    public string Name => "exact_dedup";

    public IEnumerable<Document> Run(IEnumerable<Document> documents, StepContext context)
    {
        foreach (var document in documents)
        {
            UInt128 key = normalize ? ExactDedupHash.Of(document.Text)
                : document.TryGetUtf8(out var utf8) ? ExactDedupHash.OfRaw(utf8.Span)
                : ExactDedupHash.OfRaw(Encoding.UTF8.GetBytes(document.Text));
            if (_seen.Add(key))
            {
                yield return document;
            }
            else
            {
                context.Reject(document, Name, "exact-duplicate");
            }
        }
    }
}

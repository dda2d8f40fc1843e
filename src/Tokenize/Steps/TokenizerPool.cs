using System.Collections.Concurrent;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Tokenize.Steps;

/// <summary>
/// Document encoders kept between the tasks of a process, one per task running at a time. Building
/// one is cheap once its vocabulary is loaded, but each keeps a cache of piece encodings (and
/// Microsoft.ML.Tokenizers' tiktoken one of its own) that a fresh instance must fill again, and an
/// encoder is single-threaded; a task rents one for its run instead.
/// A tokenizer file's size and time of last change are part of the key, so a file replaced
/// between runs in one process is loaded again.
/// </summary>
internal static class TokenizerPool
{
    private static readonly ConcurrentDictionary<(TokenizerSpec, string), ConcurrentBag<DocumentEncoder>> Idle = new();

    public static DocumentEncoder Rent(TokenizerSpec spec) =>
        Idle.TryGetValue(Key(spec), out var bag) && bag.TryTake(out var encoder) ? encoder : new DocumentEncoder(TokenizerFactory.Create(spec));

    public static void Return(TokenizerSpec spec, DocumentEncoder encoder) =>
        Idle.GetOrAdd(Key(spec), _ => []).Add(encoder);

    private static (TokenizerSpec, string) Key(TokenizerSpec spec) =>
        (spec, string.Join('|', new[] { spec.VocabFile, spec.MergesFile, spec.ModelFile }.Select(Stamp)));

    private static string Stamp(string? path)
    {
        if (path is null)
        {
            return "";
        }
        var info = new FileInfo(path);
        return info.Exists ? $"{info.Length}@{info.LastWriteTimeUtc.Ticks}" : "missing";
    }
}

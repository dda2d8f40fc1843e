using System.Collections.Concurrent;
using DataPipeline.Tokenize.Tokenizers;

namespace DataPipeline.Tokenize.Steps;

/// <summary>
/// Tokenizers kept between the tasks of a process, one per task running at a time. Building one
/// is cheap once its vocabulary is loaded, but Microsoft.ML.Tokenizers' tiktoken keeps a per
/// instance cache of word encodings that a fresh instance must fill again, and sharing one
/// instance between threads makes them contend on it; a task rents one for its run instead.
/// A tokenizer file's size and time of last change are part of the key, so a file replaced
/// between runs in one process is loaded again.
/// </summary>
internal static class TokenizerPool
{
    private static readonly ConcurrentDictionary<(TokenizerSpec, string), ConcurrentBag<TextTokenizer>> Idle = new();

    public static TextTokenizer Rent(TokenizerSpec spec) =>
        Idle.TryGetValue(Key(spec), out var bag) && bag.TryTake(out var tokenizer) ? tokenizer : TokenizerFactory.Create(spec);

    public static void Return(TokenizerSpec spec, TextTokenizer tokenizer) =>
        Idle.GetOrAdd(Key(spec), _ => []).Add(tokenizer);

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

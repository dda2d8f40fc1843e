using System.Diagnostics;

namespace DataPipeline.Tokenize.Tests.Tokenizers;

/// <summary>Runs Debian's sentencepiece command-line tools (spm_train, spm_encode), the reference our ids are checked against.</summary>
internal static class SentencePieceTools
{
    public static readonly bool Available = OnPath("spm_train") && OnPath("spm_encode");

    public const string MissingMessage =
        "spm_train/spm_encode not found: install Debian's sentencepiece package (scripts/setup.sh does) to run the SentencePiece comparisons";

    public static void Run(string tool, string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        // Read both streams concurrently so neither pipe fills and blocks the tool.
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} exited {process.ExitCode}: {stderr}{stdout.Result}");
        }
    }

    private static bool OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, name)));
}

/// <summary>A fact that reports itself skipped, saying why, where the sentencepiece tools are missing.</summary>
internal sealed class SentencePieceFactAttribute : FactAttribute
{
    public SentencePieceFactAttribute()
    {
        if (!SentencePieceTools.Available)
        {
            Skip = SentencePieceTools.MissingMessage;
        }
    }
}

/// <summary>
/// Trains small SentencePiece models once for the test class, on lines of one corpus part, and
/// encodes lines of another part with spm_encode: the models and the reference ids live in the
/// fixture's temp folder.
/// </summary>
public sealed class SentencePieceModels : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Dictionary<string, string> _models = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int[]>> _expected = new(StringComparer.Ordinal);
    private bool _trainingWritten;

    public SentencePieceModels()
    {
        TestLines = SampleCorpus.Lines(part: 1, maxChars: 150_000);
    }

    /// <summary>Lines none of the models was trained on.</summary>
    public IReadOnlyList<string> TestLines { get; }

    /// <summary>The model trained with these spm_train flags (cached by name), and spm_encode's ids for <see cref="TestLines"/>.</summary>
    public (string Model, List<int[]> Expected) Get(string name, params string[] flags)
    {
        lock (_models)
        {
            if (!_models.TryGetValue(name, out var model))
            {
                if (!_trainingWritten)
                {
                    File.WriteAllLines(_dir.File("train.txt"), SampleCorpus.Lines(part: 0, maxChars: 1_000_000));
                    File.WriteAllLines(_dir.File("test.txt"), TestLines);
                    _trainingWritten = true;
                }
                SentencePieceTools.Run("spm_train", _dir.Path,
                    ["--input=train.txt", "--model_prefix=" + name, "--minloglevel=2", "--num_threads=2", .. flags]);
                model = _dir.File(name + ".model");
                SentencePieceTools.Run("spm_encode", _dir.Path, "--model=" + model, "--output_format=id", "--input=test.txt", "--output=" + name + ".ids");
                _expected[name] = File.ReadAllLines(_dir.File(name + ".ids"))
                    .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())
                    .ToList();
                _models[name] = model;
            }
            return (model, _expected[name]);
        }
    }

    public void Dispose() => _dir.Dispose();
}

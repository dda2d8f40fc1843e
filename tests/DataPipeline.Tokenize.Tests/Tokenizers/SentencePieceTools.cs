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

/// <summary>A theory that reports itself skipped, saying why, where the sentencepiece tools are missing.</summary>
internal sealed class SentencePieceTheoryAttribute : TheoryAttribute
{
    public SentencePieceTheoryAttribute()
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
        TestLines = [.. SampleCorpus.Lines(part: 1, maxChars: 150_000), .. CraftedLines];
    }

    /// <summary>Lines none of the models was trained on: corpus lines, then <see cref="CraftedLines"/>.</summary>
    public IReadOnlyList<string> TestLines { get; }

    /// <summary>
    /// Lines that exercise what the corpus rarely has: whitespace runs and tabs, characters the
    /// charsmaps rewrite (full-width forms, ligatures, compatibility characters, zero-width and
    /// no-break spaces, combining marks), characters outside every vocabulary (emoji, rare CJK,
    /// controls, NUL), U+2581 and U+FFFD themselves, and long runs of one character (equal-score
    /// merge ties).
    /// </summary>
    public static readonly string[] CraftedLines =
    [
        "  leading and trailing spaces  ",
        "multiple    internal   spaces\tand\ttabs\t\t end",
        "\tleading tab",
        "trailing tab\t",
        " ",
        "\t",
        "ＡＢＣ１２３ｘｙｚ　full width",
        "ﬁne ﬂow ﬃ ligatures",
        "①②③ Ⅻ ㍻ x² H₂O ½ ™ …",
        "a\u00A0b\u3000c\u2009d\u200Be\u00ADf\uFEFFg",
        "e\u0301 Å Å ñ ñ",
        "한국어 텍스트 日本語のテキスト 中文文本 𠀋𡈽",
        "emoji 😀👍🏽 🇩🇪 and ❤️",
        "Ελληνικά русский текст العربية हिन्दी",
        "controls \u0001\u0007\u001B[0m and nul \u0000 end",
        "a▁b ▁▁ ▁leading",
        "replacement \uFFFD char here",
        "=============",
        "----------------------------------------",
        "........ ,,,, !!!! ????",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "the the the the the the the the the the the the",
        "1234567890 3.14159 2024-01-01 0x1F",
        "<s> </s> <unk> <pad> <0x41> <sep> <cls> http://example.com HTTP://EXAMPLE.COM == ===",
        "Mixed CASE Words And ÜMLÄUTE ǅ ß ẞ",
        "\u2581",
    ];

    /// <summary>Lines of malformed UTF-8, each between well-formed text.</summary>
    public static readonly byte[][] MalformedLines =
    [
        [.. "stray "u8, 0xFF, .. " byte"u8],
        [.. "truncated "u8, 0xC3],
        [.. "truncated three "u8, 0xE2, 0x82, .. " x"u8],
        [.. "overlong "u8, 0xC0, 0xAF, .. " slash"u8],
        [.. "surrogate "u8, 0xED, 0xA0, 0x80, .. " end"u8],
        [.. "too high "u8, 0xF4, 0x90, 0x80, 0x80],
        [.. "lone trail "u8, 0x80, 0x80, 0xBF, .. " bytes"u8],
        [0xFE, 0xFF, 0x41, 0xF0, 0x9F, 0x98],
    ];

    /// <summary>spm_encode's ids for lines given as raw bytes.</summary>
    public List<int[]> EncodeBytes(string model, byte[][] lines)
    {
        lock (_models)
        {
            string input = _dir.File("bytes.txt");
            using (var file = File.Create(input))
            {
                foreach (var line in lines)
                {
                    file.Write(line);
                    file.WriteByte((byte)'\n');
                }
            }
            SentencePieceTools.Run("spm_encode", _dir.Path, "--model=" + model, "--output_format=id", "--input=" + input, "--output=bytes.ids");
            return ReadIds(_dir.File("bytes.ids"));
        }
    }

    private static List<int[]> ReadIds(string path) =>
        File.ReadAllLines(path)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())
            .ToList();

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
                _expected[name] = ReadIds(_dir.File(name + ".ids"));
                _models[name] = model;
            }
            return (model, _expected[name]);
        }
    }

    public void Dispose() => _dir.Dispose();
}

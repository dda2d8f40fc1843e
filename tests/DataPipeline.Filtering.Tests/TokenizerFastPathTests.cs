using DataPipeline.Filtering.Tokenization;

namespace DataPipeline.Filtering.Tests;

/// <summary>
/// The tokenizer's speed-ups give the same tokens as the plain port: the hand-written affix
/// scanners against the rule regexes, and the whole fast tokenizer (scanners, shortcuts, chunk
/// cache) against the regex-only tokenizer.
/// </summary>
public sealed class TokenizerFastPathTests
{
    private static readonly EnglishTokenizer Plain = new(fast: false);

    /// <summary>Pieces that exercise every rule: its characters, lookbehind/lookahead classes, astral and lone surrogates.</summary>
    private static readonly string[] Pieces =
    [
        "a", "b", "z", "A", "Q", "X", "U", "C", "A", "s", "S", "0", "5", "9", "'", "’", "'s", "’S",
        ".", ".", ".", "..", "…", "……", ",", ":", ";", "!", "?", "¿", "؟", "¡", "(", ")", "[", "]", "{", "}", "<", ">", "_", "#", "*", "&",
        "。", "？", "！", "，", "、", "；", "：", "～", "·", "।", "،", "۔", "؛", "٪", "\"", "”", "“", "`", "‘", "´", "‚", "„", "»", "«",
        "「", "」", "『", "』", "（", "）", "〔", "〕", "【", "】", "《", "》", "〈", "〉", "⟦", "⟧",
        "$", "£", "€", "¥", "฿", "US$", "C$", "A$", "₽", "﷼", "₴", "₿", "-", "–", "—", "--", "---", "——", "~", "+", "^", "=", "/", "§", "%",
        "°", "F", "c", "K", "km", "km²", "m", "mm³", "µm", "kg", "g", "mph", "hPa", "MB", "кг", "мб", "كم", "اكواب", "|",
        "²", "©", "®", "☀", "↕", "😀", "🀄", "\U0001F9FF", "\U00020000", "中", "한", "α", "Ω", "а", "Я", "ё", "ſ", "İ", "ß", "Ä",
        "\uD800", "\uDC00", "\uDBFF", "@", "\\", "http://", "www.", ".com", "x.y",
    ];

    private static IEnumerable<string> RandomStrings(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            int n = random.Next(1, 9);
            var parts = new string[n];
            for (int k = 0; k < n; k++)
            {
                parts[k] = Pieces[random.Next(Pieces.Length)];
            }
            yield return string.Concat(parts);
        }
    }

    private static void AssertSameAffixes(string s, List<(int, int)> expected, List<(int, int)> actual)
    {
        var tokenizer = EnglishTokenizer.Shared;
        var scanners = tokenizer.Affixes;
        Assert.True(tokenizer.RegexPrefix(s) == scanners.Prefix(s), $"prefix of '{s}'");
        Assert.True(tokenizer.RegexSuffix(s) == scanners.Suffix(s), $"suffix of '{s}'");
        tokenizer.RegexInfixes(s, expected);
        scanners.Infixes(s, actual);
        Assert.True(expected.SequenceEqual(actual), $"infixes of '{s}': [{string.Join(" ", expected)}] vs [{string.Join(" ", actual)}]");
    }

    [Fact]
    public void Affix_scanners_match_the_regexes_on_random_strings()
    {
        var expected = new List<(int, int)>();
        var actual = new List<(int, int)>();
        foreach (var s in RandomStrings(60_000, 20251128))
        {
            AssertSameAffixes(s, expected, actual);
        }
    }

    [Fact]
    public void Affix_scanners_match_the_regexes_on_every_golden_chunk()
    {
        var expected = new List<(int, int)>();
        var actual = new List<(int, int)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var doc in FilterGoldenSet.All)
        {
            foreach (var chunk in doc.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!seen.Add(chunk))
                {
                    continue;
                }
                AssertSameAffixes(chunk, expected, actual);
                if (chunk.Length > 1)
                {
                    AssertSameAffixes(chunk[1..], expected, actual);
                    AssertSameAffixes(chunk[..^1], expected, actual);
                }
            }
        }
    }

    [Fact]
    public void Fast_tokenizer_gives_the_plain_ports_tokens_on_golden_documents_and_random_text()
    {
        var fast = new List<Token>();
        var plain = new List<Token>();
        EnglishTokenizer.ClearThreadCache();
        var random = new Random(7);
        // Every tenth golden document (TokenizerGoldenTests checks all of them against spaCy's words).
        var texts = FilterGoldenSet.All.Where((_, i) => i % 10 == 0).Select(d => d.Text)
            .Concat(Enumerable.Range(0, 300).Select(_ => string.Join(random.Next(3) == 0 ? "  " : " ", RandomStrings(40, random.Next()))));
        foreach (var text in texts)
        {
            EnglishTokenizer.Shared.TokenizeInto(text, fast);
            Plain.TokenizeInto(text, plain);
            Assert.True(plain.SequenceEqual(fast), $"tokens differ for '{text[..Math.Min(80, text.Length)]}'");
        }
    }
}

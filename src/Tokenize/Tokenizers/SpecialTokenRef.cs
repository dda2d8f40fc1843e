using System.Globalization;

namespace DataPipeline.Tokenize.Tokenizers;

/// <summary>
/// Names a special token (BOS, EOS) either by id or by its text, as a user writes it in a config:
/// an all-digit value is an id, anything else is token text looked up in the tokenizer's
/// special tokens and vocabulary.
/// </summary>
public readonly record struct SpecialTokenRef
{
    private SpecialTokenRef(int? id, string? text)
    {
        Id = id;
        Text = text;
    }

    public int? Id { get; }

    public string? Text { get; }

    public static SpecialTokenRef FromId(int id) =>
        id >= 0 ? new(id, null) : throw new ArgumentOutOfRangeException(nameof(id), id, "A token id is not negative.");

    public static SpecialTokenRef FromText(string text) =>
        string.IsNullOrEmpty(text) ? throw new ArgumentException("A special token's text is not empty.", nameof(text)) : new(null, text);

    /// <summary>"50256" is an id; "&lt;|endoftext|&gt;" or "&lt;/s&gt;" is text.</summary>
    public static SpecialTokenRef Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length > 0 && value.All(char.IsAsciiDigit)
            ? FromId(int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture))
            : FromText(value);
    }

    public override string ToString() => Id is int id ? id.ToString(CultureInfo.InvariantCulture) : Text ?? "";
}

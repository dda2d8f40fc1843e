using System.Text;
using System.Text.Json;

namespace DataPipeline.Core.Documents;

/// <summary>
/// The fields of a record other than id and text, in their input order, each kept as the raw
/// UTF-8 JSON of its value. Keeping raw JSON means a field we never look at is written back
/// exactly as it was read, whatever its type, and costs one slice instead of a parsed tree.
/// </summary>
public sealed class DocumentMetadata
{
    private readonly List<(string Name, ReadOnlyMemory<byte> Json)> _fields = [];

    public int Count => _fields.Count;

    public IEnumerable<(string Name, ReadOnlyMemory<byte> Json)> Fields => _fields;

    public (string Name, ReadOnlyMemory<byte> Json) this[int index] => _fields[index];

    /// <summary>Adds or replaces a field given as raw JSON (which must be one valid JSON value).</summary>
    public void SetRaw(string name, ReadOnlyMemory<byte> json)
    {
        for (int i = 0; i < _fields.Count; i++)
        {
            if (_fields[i].Name == name)
            {
                _fields[i] = (name, json);
                return;
            }
        }
        _fields.Add((name, json));
    }

    public void Set(string name, string value) => SetRaw(name, JsonSerializer.SerializeToUtf8Bytes(value));

    public void Set(string name, long value) => SetRaw(name, Encoding.UTF8.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public void Set(string name, double value) => SetRaw(name, JsonSerializer.SerializeToUtf8Bytes(value));

    public void Set(string name, bool value) => SetRaw(name, value ? "true"u8.ToArray() : "false"u8.ToArray());

    public bool TryGetRaw(string name, out ReadOnlyMemory<byte> json)
    {
        foreach (var (n, j) in _fields)
        {
            if (n == name)
            {
                json = j;
                return true;
            }
        }
        json = default;
        return false;
    }

    /// <summary>The field's value when it is a JSON string, else null.</summary>
    public string? GetString(string name)
    {
        if (!TryGetRaw(name, out var json) || json.Length == 0 || json.Span[0] != (byte)'"')
        {
            return null;
        }
        var reader = new Utf8JsonReader(json.Span);
        reader.Read();
        return reader.GetString();
    }

    public bool Remove(string name) => _fields.RemoveAll(f => f.Name == name) > 0;
}

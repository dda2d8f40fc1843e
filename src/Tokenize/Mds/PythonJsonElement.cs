using System.Text.Json;

namespace DataPipeline.Tokenize.Mds;

/// <summary>
/// Writes a parsed JSON value as Python would after <c>json.loads</c>: integers stay exact integers
/// (Python ints are unbounded), any number with a fraction or exponent becomes a float and is
/// printed with float repr (<c>1E2</c> becomes <c>100.0</c>), and object keys keep their order
/// unless sorting is asked for. Duplicate keys are written as they come; Python would keep one.
/// </summary>
public static class PythonJsonElement
{
    public static void Write(PythonJsonWriter writer, JsonElement element, bool sortKeys)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.BeginObject();
                if (sortKeys)
                {
                    var props = new List<JsonProperty>(element.EnumerateObject());
                    props.Sort((a, b) => CodePointComparer.Instance.Compare(a.Name, b.Name));
                    foreach (var p in props)
                    {
                        writer.PropertyName(p.Name);
                        Write(writer, p.Value, sortKeys);
                    }
                }
                else
                {
                    foreach (var p in element.EnumerateObject())
                    {
                        writer.PropertyName(p.Name);
                        Write(writer, p.Value, sortKeys);
                    }
                }
                writer.EndObject();
                break;
            case JsonValueKind.Array:
                writer.BeginArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, sortKeys);
                }
                writer.EndArray();
                break;
            case JsonValueKind.String:
                writer.String(element.GetString());
                break;
            case JsonValueKind.Number:
                WriteNumber(writer, element.GetRawText());
                break;
            case JsonValueKind.True:
                writer.Bool(true);
                break;
            case JsonValueKind.False:
                writer.Bool(false);
                break;
            default:
                writer.Null();
                break;
        }
    }

    private static void WriteNumber(PythonJsonWriter writer, string raw)
    {
        if (raw.AsSpan().IndexOfAny('.', 'e', 'E') >= 0)
        {
            writer.Float(double.Parse(raw, System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            // int("-0") is 0 in Python.
            writer.IntText(raw == "-0" ? "0" : raw);
        }
    }
}

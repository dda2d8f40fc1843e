using System.Globalization;
using DataPipeline.Core.Errors;

namespace DataPipeline.Core.Steps;

/// <summary>
/// A step's settings from the pipeline file, read with typed getters that name the step and key in
/// every error, and that refuse keys the step does not know (a misspelt threshold would otherwise
/// silently fall back to its default).
/// </summary>
public sealed class StepParameters
{
    private readonly Dictionary<string, object?> _values;
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public StepParameters(string stepType, IDictionary<object, object?>? values)
    {
        StepType = stepType;
        _values = new(StringComparer.Ordinal);
        if (values is not null)
        {
            foreach (var (k, v) in values)
            {
                _values[Convert.ToString(k, CultureInfo.InvariantCulture) ?? ""] = v;
            }
        }
    }

    public string StepType { get; }

    /// <summary>Folder relative file settings are taken from: the pipeline file's folder (or the current one).</summary>
    public string BaseDirectory { get; init; } = Directory.GetCurrentDirectory();

    public bool Has(string key) => _values.ContainsKey(key);

    public string GetString(string key, string defaultValue) => GetStringOrNull(key) ?? defaultValue;

    public string? GetStringOrNull(string key)
    {
        _used.Add(key);
        return _values.TryGetValue(key, out var v) && v is not null ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
    }

    public long GetLong(string key, long defaultValue)
    {
        var s = GetStringOrNull(key);
        if (s is null)
        {
            return defaultValue;
        }
        return long.TryParse(s.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw Bad(key, s, "an integer");
    }

    public int GetInt(string key, int defaultValue) => checked((int)GetLong(key, defaultValue));

    public double GetDouble(string key, double defaultValue)
    {
        var s = GetStringOrNull(key);
        if (s is null)
        {
            return defaultValue;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Bad(key, s, "a number");
    }

    public bool GetBool(string key, bool defaultValue)
    {
        var s = GetStringOrNull(key);
        return s switch
        {
            null => defaultValue,
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            _ => throw Bad(key, s, "true or false"),
        };
    }

    public IReadOnlyList<string> GetStringList(string key, IReadOnlyList<string> defaultValue)
    {
        _used.Add(key);
        if (!_values.TryGetValue(key, out var v) || v is null)
        {
            return defaultValue;
        }
        if (v is not string && v is IEnumerable<object?> list)
        {
            return list.Select(x => Convert.ToString(x, CultureInfo.InvariantCulture) ?? "").ToList();
        }
        return [Convert.ToString(v, CultureInfo.InvariantCulture) ?? ""];
    }

    /// <summary>Throws for keys that no getter asked for. Call after reading every setting.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new DataPipelineException(
                $"step '{StepType}': unknown setting{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown.Select(u => "'" + u + "'"))}; " +
                $"it takes {string.Join(", ", _used.OrderBy(k => k, StringComparer.Ordinal))}");
        }
    }

    private DataPipelineException Bad(string key, string value, string expected) =>
        new($"step '{StepType}': setting '{key}' must be {expected}, not '{value}'");
}

namespace DataPipeline.Core.Errors;

/// <summary>An error whose message is written for the user: the CLI prints it as it is, without a stack trace.</summary>
public class DataPipelineException : Exception
{
    public DataPipelineException(string message) : base(message) { }

    public DataPipelineException(string message, Exception inner) : base(message, inner) { }

    public DataPipelineException() { }
}

/// <summary>Bad input: names the file, the line or row when known, and a reason from <see cref="ErrorReasons"/>.</summary>
public sealed class InputException : DataPipelineException
{
    public InputException(string file, string? position, string reason, string detail)
        : base($"{file}{(position is null ? "" : ", " + position)}: {reason}: {detail}")
    {
        File = file;
        Position = position;
        Reason = reason;
        Detail = detail;
    }

    public InputException(string file, string? position, string reason, string detail, Exception inner)
        : base($"{file}{(position is null ? "" : ", " + position)}: {reason}: {detail}", inner)
    {
        File = file;
        Position = position;
        Reason = reason;
        Detail = detail;
    }

    public string File { get; }

    public string? Position { get; }

    public string Reason { get; }

    public string Detail { get; }
}

/// <summary>The reason strings that bad input is counted under in stats.json and the quarantine files.</summary>
public static class ErrorReasons
{
    public const string MalformedJson = "malformed_json";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string MissingText = "missing_text";
    public const string TextNotString = "text_not_string";
    public const string NotAnObject = "not_an_object";
    public const string BinaryData = "binary_data";
    public const string DocumentTooLarge = "document_too_large";
    public const string CorruptCompressedStream = "corrupt_compressed_stream";
    public const string TruncatedCompressedStream = "truncated_compressed_stream";
    public const string WrongFileType = "wrong_file_type";
    public const string CorruptParquet = "corrupt_parquet";
    public const string CorruptArrow = "corrupt_arrow";
    public const string UnreadableFile = "unreadable_file";
}

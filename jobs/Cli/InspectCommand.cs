using System.CommandLine;
using System.Text;
using DataPipeline.Core.Documents;
using DataPipeline.Core.Partitioning;
using DataPipeline.Core.Stats;
using DataPipeline.Ingest.Inputs;
using DataPipeline.Ingest.Reading;

namespace DataPipeline.Jobs.Cli;

/// <summary>Counts documents, lists fields, and shows a sample, for any supported file or folder.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var path = new Argument<string[]>("PATH") { Description = "files, folders or globs", Arity = ArgumentArity.OneOrMore };
        var inputFormat = new Option<string>("--input-format") { Description = "auto (from file names), jsonl, parquet, arrow or text", DefaultValueFactory = _ => "auto" };
        var textField = new Option<string>("--text-field") { Description = "name of the text field", DefaultValueFactory = _ => "text" };
        var idField = new Option<string>("--id-field") { Description = "name of the id field", DefaultValueFactory = _ => "id" };
        var samples = new Option<int>("--samples", "-n") { Description = "documents (or token samples) to show", DefaultValueFactory = _ => 1 };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "for MDS and Megatron datasets: decode the samples shown with this tokenizer" };
        var command = new Command("inspect", "Show document count, fields, size and a sample of files or folders; for MDS and Megatron datasets, samples, shards and tokens.")
        {
            path, inputFormat, textField, idField, samples, tokenizer,
        };
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            var paths = parse.GetValue(path)!;
            if (paths.Length == 1 && ShardInspector.TryInspect(paths[0], parse.GetValue(tokenizer), parse.GetValue(samples), Console.Out))
            {
                return ExitCodes.Success;
            }
            var files = InputResolver.Resolve(paths, Directory.GetCurrentDirectory());
            var options = new ReaderOptions { TextField = parse.GetValue(textField)!, IdField = parse.GetValue(idField)!, Format = parse.GetValue(inputFormat)! };
            var shown = 0;
            long totalDocs = 0, totalErrors = 0, totalChars = 0, totalBytes = 0;
            var fields = new SortedDictionary<string, long>(StringComparer.Ordinal);
            foreach (var file in files)
            {
                cancel.ThrowIfCancellationRequested();
                var format = InputFormats.Detect(file.FullPath, options.Format);
                var reader = InputFormats.CreateReader(format, options);
                var stats = new TaskStats();
                var fileStats = new FileStats { Path = file.DisplayPath };
                var errors = new ReadErrorPolicy(false, stats, null);
                long docs = 0;
                foreach (var d in reader.Read(InputSlice.WholeFile(file.FullPath, file.Size), file, fileStats, errors, null))
                {
                    docs++;
                    totalChars += d.Text.Length;
                    foreach (var (name, _) in d.Metadata.Fields)
                    {
                        fields[name] = fields.GetValueOrDefault(name) + 1;
                    }
                    if (shown < parse.GetValue(samples))
                    {
                        shown++;
                        Console.WriteLine($"--- sample {shown}: id={d.Id} ({d.Origin})");
                        Console.WriteLine(Preview(d));
                    }
                }
                totalDocs += docs;
                totalErrors += fileStats.Errors;
                totalBytes += file.Size;
                Console.WriteLine($"{file.DisplayPath}: {format}, {file.Size:N0} bytes, {docs:N0} documents" +
                    (fileStats.Errors > 0 ? $", {fileStats.Errors:N0} bad records ({string.Join(", ", stats.Errors.Select(kv => kv.Key + " " + kv.Value))})" : "") +
                    (fileStats.Fault is not null ? $"; FAULT: {fileStats.Fault}" : ""));
            }
            Console.WriteLine($"total: {files.Count:N0} file(s), {totalBytes:N0} bytes, {totalDocs:N0} documents, {totalErrors:N0} bad records, {totalChars:N0} text characters");
            Console.WriteLine($"fields: {options.IdField}, {options.TextField}" + string.Concat(fields.Select(kv => $", {kv.Key} ({kv.Value:N0})")));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Preview(Document d)
    {
        var text = d.Text.Length > 300 ? d.Text[..300] + "..." : d.Text;
        var sb = new StringBuilder("  text: ").Append(text.Replace("\n", "\\n", StringComparison.Ordinal));
        foreach (var (name, json) in d.Metadata.Fields.Take(12))
        {
            var value = Encoding.UTF8.GetString(json.Span);
            sb.Append("\n  ").Append(name).Append(": ").Append(value.Length > 120 ? value[..120] + "..." : value);
        }
        return sb.ToString();
    }
}

using System.CommandLine;
using System.Globalization;
using DataPipeline.Sampling.Mixing;

namespace DataPipeline.Jobs.Cli;

/// <summary>Source mixing: per-source weights or temperature sampling, up- and downsampling to a target size (README: "Mixing sources").</summary>
internal static class MixCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "the mix file (YAML): sources with paths and optional weights, unit, size, temperature, seed, output", Required = true };
        var output = new Option<string?>("--output", "-o") { Description = "output folder (overrides the file's output): part-00000.EXT and mix.json" };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace an earlier mix in the output folder" };
        var command = new Command("mix",
            "Mix sources into one dataset: each source gets probability p (its weight, or p ~ n^(1/T) over the sources' sizes n with temperature T), " +
            "its share of the target size is taken as whole epochs over the source plus a seeded random subset (upsampling repeats documents, " +
            "downsampling keeps a subset). Reproducible for a given seed.")
        {
            config, output, overwrite,
        };
        command.SetAction(parse => CommandRunner.Guard(cancel =>
        {
            var mix = MixConfig.Load(parse.GetValue(config)!);
            var outDir = parse.GetValue(output) is { } o ? Path.GetFullPath(o)
                : mix.Output is { } configured ? Path.GetFullPath(Path.Combine(mix.BaseDirectory, configured))
                : throw new ConfigException("no output folder: give --output or output: in the mix file");
            if (File.Exists(Path.Combine(outDir, "mix.json")) && !parse.GetValue(overwrite))
            {
                throw new ConfigException($"{outDir} already holds a mix; use --overwrite to replace it");
            }
            var results = MixRun.Run(mix, outDir, cancel);
            var ci = CultureInfo.InvariantCulture;
            Console.Out.WriteLine(string.Create(ci, $"mixed {results.Count} sources -> {outDir}"));
            Console.Out.WriteLine(string.Create(ci, $"  {"source",-20} {"available",12} {"p",8} {"epochs",8} {"docs written",13} {"distinct",10} {mix.Unit + " written",16}"));
            foreach (var r in results)
            {
                Console.Out.WriteLine(string.Create(ci, $"  {r.Plan.Name,-20} {r.Plan.Size,12:N0} {r.Plan.Probability,8:F4} {r.Plan.Epochs,8:F3} {r.DocumentsWritten,13:N0} {r.DistinctDocuments,10:N0} {r.UnitsWritten,16:N0}"));
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}

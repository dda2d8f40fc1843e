using System.CommandLine;

namespace DataPipeline.Jobs.Cli;

internal static class StepsCommand
{
    public static Command Create()
    {
        var command = new Command("steps", "List the step types a pipeline file can use.");
        command.SetAction(_ =>
        {
            foreach (var (type, description) in CommandRunner.AllSteps().Types)
            {
                Console.WriteLine($"{type,-24} {description}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}

namespace DataPipeline.Core.Steps;

/// <summary>
/// A step that is a whole stage by itself: its tasks read no documents, only files earlier stages of
/// the run wrote (the LSH bucket merge and the duplicate clustering are such stages). The runtime
/// gives it the task count it asks for, runs <see cref="RunTask"/> once per rank under the same
/// commit protocol as a map task, and never calls <see cref="IPipelineStep.Run"/>.
/// </summary>
public interface IStandaloneStep : IPipelineStep
{
    /// <summary>The number of tasks of the stage (fixed by the step's settings, not by any input).</summary>
    int TaskCount { get; }

    /// <summary>Runs task <see cref="StepContext.Rank"/>; writes through <see cref="StepContext.Outputs"/> and counts into <see cref="StepContext.Stats"/>.</summary>
    void RunTask(StepContext context);
}

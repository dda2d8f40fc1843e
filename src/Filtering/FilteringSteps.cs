using DataPipeline.Core.Steps;
using DataPipeline.Filtering.Steps;

namespace DataPipeline.Filtering;

/// <summary>Registers the filtering library's pipeline steps.</summary>
public static class FilteringSteps
{
    public static void Register(StepRegistry registry)
    {
        LengthFilter.Register(registry);
        GopherQualityFilter.Register(registry);
        GopherRepetitionFilter.Register(registry);
        C4QualityFilter.Register(registry);
        FineWebQualityFilter.Register(registry);
        LanguageFilter.Register(registry);
        FastTextClassifierFilter.Register(registry);
        PiiFormatter.Register(registry);
    }
}

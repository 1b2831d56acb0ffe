namespace Glassbox.Analysis;

/// <summary>
/// Progress of one stage of a longer job, reported to the caller's <see cref="IProgress{T}"/> as a share
/// of the whole: stage s of n maps 0..1 to s/n..(s+1)/n. Reports synchronously, on the calling thread and
/// in order (unlike <see cref="Progress{T}"/>, which posts to the thread pool when there is no
/// synchronization context), so a caller may stop the job by throwing from <c>Report</c>.
/// </summary>
internal sealed class ScaledProgress(IProgress<double> inner, int stage, int stages) : IProgress<double>
{
    public static IProgress<double>? Stage(IProgress<double>? inner, int stage, int stages)
        => inner is null ? null : new ScaledProgress(inner, stage, stages);

    public void Report(double value) => inner.Report((stage + value) / stages);
}

using Retention.Cleanup.Outlook;

namespace Retention.AspNetCore.Contracts;

/// <summary>
/// <c>POST preview/compare</c>: what the candidate policy in the body would change, by kind and rule, with totals per kind
/// (<c>becomes_due</c>, <c>no_longer_due</c>, <c>due_earlier</c>, <c>due_later</c>). Nothing is touched.
/// </summary>
internal sealed record ComparisonResponse(DateTimeOffset EvaluatedAt, long JobsScanned, IReadOnlyDictionary<string, ComparisonTotal> Totals, IReadOnlyList<ComparisonChange> Changes)
{
    public static ComparisonResponse From(PolicyComparison comparison) => new(
        comparison.EvaluatedAt,
        comparison.JobsScanned,
        Enum.GetValues<PolicyChangeKind>().ToDictionary(PolicyChangeWords.Word, k => comparison.Total(k) is var (jobs, bytes) ? new ComparisonTotal(jobs, ByteCount.Of(bytes)) : null!),
        [.. comparison.Changes.Select(c => new ComparisonChange(PolicyChangeWords.Word(c.Kind), c.Rule, c.Jobs, ByteCount.Of(c.Bytes), c.JobIds))]);

}

/// <summary>The jobs and data of one kind of change, over every rule.</summary>
internal sealed record ComparisonTotal(long Jobs, ByteCount Size);

/// <summary>The jobs one rule moves one way, the first of them named.</summary>
internal sealed record ComparisonChange(string Kind, string Rule, long Jobs, ByteCount Size, IReadOnlyList<string> JobIds);

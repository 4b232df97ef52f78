using Retention.Stores;

namespace Retention.AspNetCore.Contracts;

/// <summary><c>GET runs</c>: a page of the run history, newest first; pass <c>next_before</c> as <c>before</c> for the next page.</summary>
internal sealed record RunsResponse(IReadOnlyList<CleanupRunRecord> Runs, string? NextBefore);

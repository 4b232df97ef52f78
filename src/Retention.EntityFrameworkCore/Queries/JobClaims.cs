using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Retention.EntityFrameworkCore.Model;

namespace Retention.EntityFrameworkCore.Queries;

/// <summary>
/// Claims in <see cref="RetentionJobClaim"/> rows. Taking a page's claims is one upsert that only takes a job nobody else
/// holds (no row, a lapsed one, or the same run's), which EF Core cannot say in LINQ: it is the one statement the store
/// writes itself, <c>INSERT ... ON CONFLICT DO UPDATE ... WHERE</c>, which SQLite and PostgreSQL both run.
/// </summary>
internal static class JobClaims
{
    /// <summary>Whether the context's provider runs the claim upsert.</summary>
    public static bool Supported(DbContext context) =>
        context.Database.ProviderName is "Microsoft.EntityFrameworkCore.Sqlite" or "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Claims the jobs nobody else holds for <paramref name="owner"/>; returns the ids it holds now.</summary>
    public static async Task<HashSet<string>> ClaimAsync(DbContext context, string owner, IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var entity = context.Model.FindEntityType(typeof(RetentionJobClaim))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = context.GetService<ISqlGenerationHelper>();
        string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
        var (jobId, holder, expires) = (Column(nameof(RetentionJobClaim.JobId)), Column(nameof(RetentionJobClaim.Owner)), Column(nameof(RetentionJobClaim.ExpiresAt)));
        var name = sql.DelimitIdentifier(table.Name);

        // Parameters {0} owner, {1} expiry, {2} now, then one per id.
        var rows = string.Join(", ", ids.Select((_, i) => $"({{{i + 3}}}, {{0}}, {{1}})"));
        var upsert = $$"""
            INSERT INTO {{sql.DelimitIdentifier(table.Name, table.Schema)}} ({{jobId}}, {{holder}}, {{expires}}) VALUES {{rows}}
            ON CONFLICT ({{jobId}}) DO UPDATE SET {{holder}} = excluded.{{holder}}, {{expires}} = excluded.{{expires}}
            WHERE {{name}}.{{expires}} <= {2} OR {{name}}.{{holder}} = excluded.{{holder}}
            """;
        object[] parameters = [owner, now + timeout, now, .. ids];
        await context.Database.ExecuteSqlRawAsync(upsert, parameters, cancellationToken).ConfigureAwait(false);
        return await HeldAsync(context, owner, ids, now, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Renews <paramref name="owner"/>'s live claims on <paramref name="ids"/>; returns the ids it still holds.</summary>
    public static async Task<HashSet<string>> RenewAsync(DbContext context, string owner, IReadOnlyList<string> ids, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var until = now + timeout;
        await context.Set<RetentionJobClaim>().Where(c => c.Owner == owner && ids.Contains(c.JobId) && c.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.ExpiresAt, until), cancellationToken).ConfigureAwait(false);
        return await HeldAsync(context, owner, ids, now, cancellationToken).ConfigureAwait(false);
    }

    public static Task<int> ReleaseAsync(DbContext context, string owner, IReadOnlyCollection<string>? ids, CancellationToken cancellationToken) =>
        (ids is null
            ? context.Set<RetentionJobClaim>().Where(c => c.Owner == owner)
            : context.Set<RetentionJobClaim>().Where(c => c.Owner == owner && ids.Contains(c.JobId))).ExecuteDeleteAsync(cancellationToken);

    private static async Task<HashSet<string>> HeldAsync(DbContext context, string owner, IReadOnlyList<string> ids, DateTime now, CancellationToken cancellationToken)
    {
        var held = await context.Set<RetentionJobClaim>().AsNoTracking().Where(c => c.Owner == owner && ids.Contains(c.JobId) && c.ExpiresAt > now)
            .Select(c => c.JobId).ToListAsync(cancellationToken).ConfigureAwait(false);
        return held.ToHashSet(StringComparer.Ordinal);
    }
}

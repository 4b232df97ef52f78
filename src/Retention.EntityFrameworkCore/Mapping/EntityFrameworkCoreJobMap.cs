using System.Linq.Expressions;

namespace Retention.EntityFrameworkCore.Mapping;

/// <summary>
/// Which members of the host's job entity the store reads and writes, given as expressions
/// (<c>map.Id(j => j.Id)</c>, <c>map.Status(j => j.State, s => s.Succeeded("done"))</c>, ...). The id, status, start,
/// completion and data-cleaned members are required; the rest are optional. Checked when the store is registered: each
/// problem is named with its member.
/// </summary>
/// <typeparam name="TJob">The host's job entity.</typeparam>
public sealed class EntityFrameworkCoreJobMap<TJob>
    where TJob : class
{
    internal LambdaExpression? IdMember { get; private set; }

    internal LambdaExpression? StatusMember { get; private set; }

    internal Delegate? StatusValues { get; private set; }

    internal LambdaExpression? CreatedAtMember { get; private set; }

    internal LambdaExpression? StartedAtMember { get; private set; }

    internal LambdaExpression? CompletedAtMember { get; private set; }

    internal LambdaExpression? DataCleanedAtMember { get; private set; }

    internal Expression<Func<TJob, string?>>? JobTypeMember { get; private set; }

    internal Expression<Func<TJob, string?>>? ErrorMessageMember { get; private set; }

    internal Expression<Func<TJob, long?>>? SizeBytesMember { get; private set; }

    internal LambdaExpression? RowVersionMember { get; private set; }

    /// <summary>The job's key: a string, an integer or a <see cref="Guid"/>. Candidates are read in pages in its order.</summary>
    /// <typeparam name="TId">The key's type.</typeparam>
    /// <param name="member">The member, as <c>j => j.Id</c>.</param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> Id<TId>(Expression<Func<TJob, TId>> member) => Set(member, m => IdMember = m);

    /// <summary>The job's status, and which of its values mean which status.</summary>
    /// <typeparam name="TStatus">A string, an enum or an integer.</typeparam>
    /// <param name="member">The member, as <c>j => j.State</c>.</param>
    /// <param name="values">
    /// The values of each status, as <c>s => s.Succeeded("done").Failed("error", "crashed")</c>. Without it, strings are the
    /// words of a <c>jobs.db</c> (<c>completed</c>, <c>failed</c>, ...) and enum members named like a status are that status.
    /// </param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> Status<TStatus>(Expression<Func<TJob, TStatus>> member, Action<JobStatusValues<TStatus>>? values = null)
        where TStatus : notnull
    {
        StatusValues = values ?? (_ => { });
        return Set(member, m => StatusMember = m);
    }

    /// <summary>When the job was submitted (optional): a <see cref="DateTime"/> (UTC) or <see cref="DateTimeOffset"/>, as the other times.</summary>
    /// <typeparam name="TTime">The member's type.</typeparam>
    /// <param name="member">The member, as <c>j => j.CreatedAt</c>.</param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> CreatedAt<TTime>(Expression<Func<TJob, TTime>> member) => Set(member, m => CreatedAtMember = m);

    /// <summary>When the job started running: a <see cref="DateTime"/> (UTC) or <see cref="DateTimeOffset"/>, nullable or not.</summary>
    /// <typeparam name="TTime">The member's type.</typeparam>
    /// <param name="member">The member, as <c>j => j.StartedAt</c>.</param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> StartedAt<TTime>(Expression<Func<TJob, TTime>> member) => Set(member, m => StartedAtMember = m);

    /// <summary>When the job finished; the reaper writes it when it fails a stuck job.</summary>
    /// <typeparam name="TTime">The member's type.</typeparam>
    /// <param name="member">The member, as <c>j => j.CompletedAt</c>.</param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> CompletedAt<TTime>(Expression<Func<TJob, TTime>> member) => Set(member, m => CompletedAtMember = m);

    /// <summary>When the job's data was cleaned: a nullable time the store sets, <see langword="null"/> while the data is there.</summary>
    /// <typeparam name="TTime">The member's type.</typeparam>
    /// <param name="member">The member, as <c>j => j.DataCleanedAt</c>.</param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> DataCleanedAt<TTime>(Expression<Func<TJob, TTime>> member) => Set(member, m => DataCleanedAtMember = m);

    /// <summary>The job's type, for rules by type (optional).</summary>
    /// <param name="member">The member, as <c>j => j.Kind</c>.</param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> JobType(Expression<Func<TJob, string?>> member) => Set(member, m => JobTypeMember = member);

    /// <summary>The job's error message (optional); the reaper writes it when it fails a stuck job.</summary>
    /// <param name="member">The member, as <c>j => j.Error</c>.</param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> ErrorMessage(Expression<Func<TJob, string?>> member) => Set(member, m => ErrorMessageMember = member);

    /// <summary>How many bytes the job's data holds (optional), for the storage-held gauge and usage by status.</summary>
    /// <param name="member">The member, as <c>j => j.SizeBytes</c>.</param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> SizeBytes(Expression<Func<TJob, long?>> member) => Set(member, m => SizeBytesMember = member);

    /// <summary>
    /// The row's version (optional): an integer the database or the host changes on every update (PostgreSQL's <c>xmin</c>
    /// as <see cref="uint"/>, a <see cref="long"/> version column). Marks then leave a job whose version changed since it was read.
    /// </summary>
    /// <typeparam name="TVersion">An integer type.</typeparam>
    /// <param name="member">The member, as <c>j => j.Version</c>.</param>
    /// <returns>This, to chain.</returns>
    public EntityFrameworkCoreJobMap<TJob> RowVersion<TVersion>(Expression<Func<TJob, TVersion>> member) => Set(member, m => RowVersionMember = m);

    private EntityFrameworkCoreJobMap<TJob> Set(LambdaExpression member, Action<LambdaExpression> assign)
    {
        ArgumentNullException.ThrowIfNull(member);
        assign(member);
        return this;
    }
}

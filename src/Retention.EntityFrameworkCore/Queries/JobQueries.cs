using System.ComponentModel;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Retention.EntityFrameworkCore.Mapping;

namespace Retention.EntityFrameworkCore.Queries;

/// <summary>
/// The queries over the host's job entity, as expression trees composed from the mapped members: each filter is a
/// <c>WHERE</c> the provider translates, each value a parameter. Created once per store, by <see cref="JobMapping"/>.
/// </summary>
/// <typeparam name="TJob">The host's job entity.</typeparam>
/// <typeparam name="TId">The key's type.</typeparam>
/// <typeparam name="TStatus">The status member's type.</typeparam>
/// <typeparam name="TTime"><see cref="DateTime"/> or <see cref="DateTimeOffset"/>.</typeparam>
internal sealed partial class JobQueries<TJob, TId, TStatus, TTime> : IJobQueries<TJob>
    where TJob : class
    where TStatus : notnull
    where TTime : struct
{
    private static readonly MethodInfo Contains = typeof(Enumerable).GetMethods().Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2);
    private static readonly TypeConverter IdConverter = TypeDescriptor.GetConverter(typeof(TId));

    private readonly EntityFrameworkCoreJobMap<TJob> _map;
    private readonly StatusValueMap<TStatus> _statuses;
    private readonly ParameterExpression _job = Expression.Parameter(typeof(TJob), "j");
    private readonly Expression _id;
    private readonly Expression _status;
    private readonly Expression _cleaned;
    private readonly Expression _finishedAt;
    private readonly Expression _startedOrCreated;
    private readonly Expression<Func<TJob, TId>> _idKey;
    private readonly Expression<Func<TJob, JobRow<TId, TStatus, TTime>>> _row;

    public JobQueries(EntityFrameworkCoreJobMap<TJob> map, ICollection<string> errors)
    {
        _map = map;
        _statuses = StatusValueMap<TStatus>.Create((Action<JobStatusValues<TStatus>>?)map.StatusValues, map.StatusMember!.ToString(), errors);
        _id = Body(map.IdMember)!;
        _status = Body(map.StatusMember)!;
        _cleaned = Time(map.DataCleanedAtMember)!;
        var started = Time(map.StartedAtMember)!;
        var created = Time(map.CreatedAtMember);

        // Retention ages run from completion, else start, else creation; stale jobs from start, else creation.
        _finishedAt = Expression.Coalesce(Time(map.CompletedAtMember)!, created is null ? started : Expression.Coalesce(started, created));
        _startedOrCreated = created is null ? started : Expression.Coalesce(started, created);
        _idKey = Expression.Lambda<Func<TJob, TId>>(_id, _job);
        _row = Expression.Lambda<Func<TJob, JobRow<TId, TStatus, TTime>>>(
            Expression.MemberInit(
                Expression.New(typeof(JobRow<TId, TStatus, TTime>)),
                new[]
                {
                    Bind(nameof(JobRow<TId, TStatus, TTime>.Id), _id),
                    Bind(nameof(JobRow<TId, TStatus, TTime>.Status), _status),
                    Bind(nameof(JobRow<TId, TStatus, TTime>.JobType), Body(map.JobTypeMember)),
                    Bind(nameof(JobRow<TId, TStatus, TTime>.CreatedAt), created),
                    Bind(nameof(JobRow<TId, TStatus, TTime>.StartedAt), started),
                    Bind(nameof(JobRow<TId, TStatus, TTime>.CompletedAt), Time(map.CompletedAtMember)),
                    Bind(nameof(JobRow<TId, TStatus, TTime>.DataCleanedAt), _cleaned),
                    Bind(nameof(JobRow<TId, TStatus, TTime>.ErrorMessage), Body(map.ErrorMessageMember)),
                    // As an object: a conversion to long could be sent to SQL, where PostgreSQL's xid has no cast to bigint.
                    Bind(nameof(JobRow<TId, TStatus, TTime>.Version), Body(map.RowVersionMember) is { } version ? Expression.Convert(version, typeof(object)) : null),
                }.OfType<MemberBinding>()),
            _job);
    }

    /// <inheritdoc />
    public void CheckModel(DbContext context, ICollection<string> errors)
    {
        var entity = context.Model.FindEntityType(typeof(TJob));
        if (entity is null)
        {
            errors.Add($"{typeof(TJob).Name} is not an entity of {context.GetType().Name}'s model; add a DbSet<{typeof(TJob).Name}> or configure it in OnModelCreating.");
            return;
        }

        foreach (var (name, member) in Members())
        {
            if (JobMapping.MemberOf(member) is { } info && entity.FindProperty(info.Name) is null)
            {
                errors.Add($"map.{name}({member}): {info.Name} is not a mapped property of {typeof(TJob).Name} in {context.GetType().Name}'s model; the store reads and writes it in SQL.");
            }
        }
    }

    private IEnumerable<(string Name, LambdaExpression Member)> Members()
    {
        var members = new (string, LambdaExpression?)[]
        {
            ("Id", _map.IdMember), ("Status", _map.StatusMember), ("CreatedAt", _map.CreatedAtMember), ("StartedAt", _map.StartedAtMember),
            ("CompletedAt", _map.CompletedAtMember), ("DataCleanedAt", _map.DataCleanedAtMember), ("JobType", _map.JobTypeMember),
            ("ErrorMessage", _map.ErrorMessageMember), ("SizeBytes", _map.SizeBytesMember), ("RowVersion", _map.RowVersionMember),
        };
        return members.Where(m => m.Item2 is not null).Select(m => (m.Item1, m.Item2!));
    }

    private static MemberAssignment? Bind(string property, Expression? value) =>
        value is null ? null : Expression.Bind(typeof(JobRow<TId, TStatus, TTime>).GetProperty(property)!, value);

    private Expression? Body(LambdaExpression? member) => member is null ? null : LambdaBody.Over(member, _job);

    // A time member as TTime?, so members that are nullable and members that are not coalesce and compare alike.
    private Expression? Time(LambdaExpression? member) =>
        Body(member) is not { } body ? null : body.Type == typeof(TTime?) ? body : Expression.Convert(body, typeof(TTime?));

    private Expression<Func<TJob, bool>> Where(Expression condition) => Expression.Lambda<Func<TJob, bool>>(condition, _job);

    private static MethodCallExpression In<T>(IReadOnlyCollection<T> values, Expression member) =>
        Expression.Call(Contains.MakeGenericMethod(typeof(T)), QueryParameter.OfList(values.ToArray()), member);

    private Expression StatusIn(IEnumerable<JobStatus> statuses) => _statuses.ValuesOf(statuses) is { Length: > 0 } values ? In(values, _status) : Expression.Constant(false);

    private static BinaryExpression Before(Expression time, DateTimeOffset cutoff) =>
        Expression.LessThan(time, QueryParameter.Of<TTime?>(EntityTime.To<TTime>(cutoff)));

    private Expression Uncleaned => Expression.Equal(_cleaned, Expression.Constant(null, typeof(TTime?)));

    private BinaryExpression IdIs(TId id) => Expression.Equal(_id, QueryParameter.Of(id));

    // Keys after the last one read: string keys by string.Compare, which the providers translate to a plain comparison.
    private BinaryExpression After(object afterKey) => typeof(TId) == typeof(string)
        ? Expression.GreaterThan(Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, _id, QueryParameter.Of((string)afterKey)), Expression.Constant(0))
        : Expression.GreaterThan(_id, QueryParameter.Of((TId)afterKey));

    private static bool TryParseId(string text, out TId id)
    {
        if (typeof(TId) == typeof(string))
        {
            id = (TId)(object)text;
            return true;
        }

        try
        {
            id = (TId)IdConverter.ConvertFromInvariantString(text)!;
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException)
        {
            id = default!; // an id that is not a key of this type names no job
            return false;
        }
    }

    private static TId[] ParseIds(IEnumerable<string> ids) => ids.Select(text => TryParseId(text, out var id) ? (Found: true, id) : (Found: false, id)).Where(p => p.Found).Select(p => p.id).Distinct().ToArray();

    private static string IdText(TId id) => Convert.ToString(id, CultureInfo.InvariantCulture)!;

    private JobRecord ToRecord(JobRow<TId, TStatus, TTime> row)
    {
        // A value no status has is never taken for a finished one: it reads as Running, which nothing touches, and says so.
        var mapped = row.Status is null ? null : _statuses.StatusOf(row.Status);
        return new JobRecord(IdText(row.Id), mapped ?? JobStatus.Running)
        {
            UnmappedStatus = mapped is null ? Convert.ToString(row.Status, CultureInfo.InvariantCulture) ?? string.Empty : null,
            JobType = row.JobType,
            CreatedAt = EntityTime.From(row.CreatedAt) ?? EntityTime.From(row.StartedAt) ?? DateTimeOffset.MinValue,
            StartedAt = EntityTime.From(row.StartedAt),
            CompletedAt = EntityTime.From(row.CompletedAt),
            DataCleanedAt = EntityTime.From(row.DataCleanedAt),
            ErrorMessage = row.ErrorMessage,
            Version = row.Version is null ? null : Convert.ToInt64(row.Version, CultureInfo.InvariantCulture),
        };
    }
}

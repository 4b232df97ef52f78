using System.Linq.Expressions;
using Retention.EntityFrameworkCore.Queries;

namespace Retention.EntityFrameworkCore.Mapping;

/// <summary>Checks a map (every problem named with its member) and builds the queries over the entity from it.</summary>
internal static class JobMapping
{
    private static readonly Type[] IdTypes = [typeof(string), typeof(int), typeof(long), typeof(Guid)];
    private static readonly Type[] IntegerTypes = [typeof(int), typeof(long), typeof(short), typeof(byte), typeof(uint), typeof(ulong)];

    public static IJobQueries<TJob> Build<TJob>(EntityFrameworkCoreJobMap<TJob> map)
        where TJob : class
    {
        ArgumentNullException.ThrowIfNull(map);
        var errors = new List<string>();
        var id = Required(map.IdMember, "Id", "j => j.Id", errors);
        var status = Required(map.StatusMember, "Status", "j => j.Status, s => s.Succeeded(...).Failed(...)", errors);
        Required(map.StartedAtMember, "StartedAt", "j => j.StartedAt", errors);
        Required(map.CompletedAtMember, "CompletedAt", "j => j.CompletedAt", errors);
        var cleaned = Required(map.DataCleanedAtMember, "DataCleanedAt", "j => j.DataCleanedAt", errors);
        foreach (var (name, member) in new[] { ("CreatedAt", map.CreatedAtMember), ("JobType", map.JobTypeMember), ("ErrorMessage", map.ErrorMessageMember), ("SizeBytes", map.SizeBytesMember), ("RowVersion", map.RowVersionMember) })
        {
            if (member is not null)
            {
                PlainMember(member, name, errors);
            }
        }

        if (id is not null && !IdTypes.Contains(id.ReturnType))
        {
            errors.Add($"map.Id({id}): the key is a {id.ReturnType.Name}; it must be a string, an int, a long or a Guid.");
        }

        if (status is not null && status.ReturnType != typeof(string) && !status.ReturnType.IsEnum && !IntegerTypes.Contains(status.ReturnType))
        {
            errors.Add($"map.Status({status}): the status is a {status.ReturnType.Name}; it must be a string, an enum or an integer.");
        }

        if (map.RowVersionMember is { } version && !IntegerTypes.Contains(Nullable.GetUnderlyingType(version.ReturnType) ?? version.ReturnType))
        {
            errors.Add($"map.RowVersion({version}): the version is a {version.ReturnType.Name}; it must be an integer (PostgreSQL's xmin is a uint).");
        }

        var timeType = TimeType(map, errors);
        if (cleaned is not null && Nullable.GetUnderlyingType(cleaned.ReturnType) is null)
        {
            errors.Add($"map.DataCleanedAt({cleaned}): the member is a {cleaned.ReturnType.Name}; it must be nullable (null while the data is there).");
        }

        if (errors.Count > 0 || id is null || status is null || timeType is null)
        {
            throw new RetentionConfigurationException(Message<TJob>(errors));
        }

        var queries = typeof(JobQueries<,,,>).MakeGenericType(typeof(TJob), id.ReturnType, status.ReturnType, timeType);
        var built = (IJobQueries<TJob>)Activator.CreateInstance(queries, map, errors)!;
        return errors.Count == 0 ? built : throw new RetentionConfigurationException(Message<TJob>(errors));
    }

    /// <summary>The member a mapped lambda reads (<c>j => j.State</c>), under any conversion the compiler added.</summary>
    public static System.Reflection.MemberInfo? MemberOf(LambdaExpression lambda)
    {
        var body = lambda.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert } convert)
        {
            body = convert.Operand;
        }

        return body is MemberExpression { Expression: ParameterExpression } member ? member.Member : null;
    }

    private static string Message<TJob>(List<string> errors) =>
        $"The Entity Framework Core store's map of {typeof(TJob).Name} is not usable:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}";

    private static LambdaExpression? Required(LambdaExpression? member, string name, string example, List<string> errors)
    {
        if (member is null)
        {
            errors.Add($"map.{name}(...) is missing: say which member of the job holds it, as in map.{name}({example}).");
            return null;
        }

        return PlainMember(member, name, errors) ? member : null;
    }

    private static bool PlainMember(LambdaExpression member, string name, List<string> errors)
    {
        if (MemberOf(member) is null)
        {
            errors.Add($"map.{name}({member}): give a property of the job itself, as in map.{name}(j => j.{name}); the store reads and writes it in SQL.");
            return false;
        }

        return true;
    }

    // The times are all DateTime or all DateTimeOffset, so they compare and coalesce with one another in SQL.
    private static Type? TimeType<TJob>(EntityFrameworkCoreJobMap<TJob> map, List<string> errors)
        where TJob : class
    {
        Type? found = null;
        LambdaExpression? first = null;
        foreach (var (name, member) in new[] { ("StartedAt", map.StartedAtMember), ("CompletedAt", map.CompletedAtMember), ("DataCleanedAt", map.DataCleanedAtMember), ("CreatedAt", map.CreatedAtMember) })
        {
            if (member is null)
            {
                continue;
            }

            var type = Nullable.GetUnderlyingType(member.ReturnType) ?? member.ReturnType;
            if (type != typeof(DateTime) && type != typeof(DateTimeOffset))
            {
                errors.Add($"map.{name}({member}): the member is a {member.ReturnType.Name}; a time must be a DateTime (UTC) or a DateTimeOffset, nullable or not.");
                continue;
            }

            if (found is not null && type != found)
            {
                errors.Add($"map.{name}({member}): the member is a {type.Name} while {first} is a {found.Name}; map times of one type, so they compare in SQL.");
                continue;
            }

            found ??= type;
            first ??= member;
        }

        return found;
    }
}

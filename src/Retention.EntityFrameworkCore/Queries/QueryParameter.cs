using System.Linq.Expressions;

namespace Retention.EntityFrameworkCore.Queries;

/// <summary>
/// A value put into a query as EF Core puts a captured variable: a member of a constant object, which it sends as a
/// parameter. A plain constant would be written into the SQL, and each new value would compile a new query.
/// </summary>
internal static class QueryParameter
{
    public static Expression Of<T>(T value) => Expression.Property(Expression.Constant(new Holder<T>(value)), nameof(Holder<T>.Value));

    private sealed class Holder<T>(T value)
    {
        public T Value { get; } = value;
    }
}

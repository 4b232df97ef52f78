using System.Linq.Expressions;
#if NET10_0_OR_GREATER
using Microsoft.EntityFrameworkCore;
#endif

namespace Retention.EntityFrameworkCore.Queries;

/// <summary>
/// A value put into a query as EF Core puts a captured variable: a member of a constant object, which it sends as a
/// parameter. A plain constant would be written into the SQL, and each new value would compile a new query.
/// </summary>
internal static class QueryParameter
{
    public static Expression Of<T>(T value) => Expression.Property(Expression.Constant(new Holder<T>(value)), nameof(Holder<T>.Value));

    /// <summary>
    /// A list for <c>IN</c>, sent as one parameter (a JSON array on SQLite, an array on PostgreSQL). EF Core 10 would
    /// otherwise send a parameter per value, and binding a thousand parameters is what a page costs most on SQLite.
    /// </summary>
    public static Expression OfList<T>(T[] values) =>
#if NET10_0_OR_GREATER
        Expression.Call(typeof(EF).GetMethod(nameof(EF.Parameter))!.MakeGenericMethod(typeof(T[])), Of(values));
#else
        Of(values);
#endif

    private sealed class Holder<T>(T value)
    {
        public T Value { get; } = value;
    }
}

using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Retention.EntityFrameworkCore.Queries;

/// <summary>
/// The assignments of one set-based <c>ExecuteUpdate</c>, built from mapped members. EF Core 10 takes them as a delegate
/// over a setters builder; EF Core 8 as an expression tree of <c>SetProperty</c> calls, which is built here by hand.
/// </summary>
/// <typeparam name="TJob">The host's job entity.</typeparam>
internal sealed class UpdateSetters<TJob>
    where TJob : class
{
#if NET10_0_OR_GREATER
    private readonly List<Action<UpdateSettersBuilder<TJob>>> _setters = [];

    public UpdateSetters<TJob> Set<TValue>(Expression<Func<TJob, TValue>> member, TValue value)
    {
        _setters.Add(builder => builder.SetProperty(member, value));
        return this;
    }

    public Task<int> ExecuteAsync(IQueryable<TJob> rows, CancellationToken cancellationToken) =>
        rows.ExecuteUpdateAsync(
            builder =>
            {
                foreach (var set in _setters)
                {
                    set(builder);
                }
            },
            cancellationToken);
#else
    private static readonly System.Reflection.MethodInfo SetPropertyToValue = typeof(SetPropertyCalls<TJob>).GetMethods()
        .Single(m => m.Name == nameof(SetPropertyCalls<TJob>.SetProperty) && m.GetParameters()[1].ParameterType.IsGenericParameter);

    private readonly ParameterExpression _calls = Expression.Parameter(typeof(SetPropertyCalls<TJob>), "set");
    private Expression _body;

    public UpdateSetters() => _body = _calls;

    public UpdateSetters<TJob> Set<TValue>(Expression<Func<TJob, TValue>> member, TValue value)
    {
        _body = Expression.Call(_body, SetPropertyToValue.MakeGenericMethod(typeof(TValue)), member, QueryParameter.Of(value));
        return this;
    }

    public Task<int> ExecuteAsync(IQueryable<TJob> rows, CancellationToken cancellationToken) =>
        rows.ExecuteUpdateAsync(Expression.Lambda<Func<SetPropertyCalls<TJob>, SetPropertyCalls<TJob>>>(_body, _calls), cancellationToken);
#endif

    /// <summary>Sets <paramref name="member"/>, whose type is known only at run time, to <paramref name="value"/> converted to it.</summary>
    public UpdateSetters<TJob> SetUntyped(LambdaExpression member, object? value)
    {
        var set = typeof(UpdateSetters<TJob>).GetMethod(nameof(Set))!.MakeGenericMethod(member.ReturnType);
        return (UpdateSetters<TJob>)set.Invoke(this, [member, value])!;
    }
}

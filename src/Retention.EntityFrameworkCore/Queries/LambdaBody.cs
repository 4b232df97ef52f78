using System.Linq.Expressions;

namespace Retention.EntityFrameworkCore.Queries;

/// <summary>The body of a mapped member's lambda over another parameter, so several members combine into one predicate.</summary>
internal sealed class LambdaBody : ExpressionVisitor
{
    private readonly ParameterExpression _from;
    private readonly Expression _to;

    private LambdaBody(ParameterExpression from, Expression to)
    {
        _from = from;
        _to = to;
    }

    public static Expression Over(LambdaExpression member, ParameterExpression job) => new LambdaBody(member.Parameters[0], job).Visit(member.Body);

    protected override Expression VisitParameter(ParameterExpression node) => node == _from ? _to : base.VisitParameter(node);
}

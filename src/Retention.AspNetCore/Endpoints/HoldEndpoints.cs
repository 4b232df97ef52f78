using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Retention.AspNetCore.Contracts;
using Retention.Holds;

namespace Retention.AspNetCore.Endpoints;

/// <summary>
/// <c>GET/POST {prefix}/holds</c> and <c>DELETE {prefix}/holds/{id}</c>, in the cleanup endpoints' group, so behind the
/// same authorization policy. The signed-in user places or releases the hold, and is on record in the store's audit and
/// the endpoints' audit log.
/// </summary>
internal static class HoldEndpoints
{
    public static void Map(RouteGroupBuilder group, JobCleanupEndpointOptions options, string names, Action<IEndpointConventionBuilder> action)
    {
        group.MapGet("/holds", ([FromQuery(Name = "job_id")] string? jobId, HttpContext context) => ListAsync(context, jobId)).WithName(names + "ListHolds");
        action(group.MapPost("/holds", (Delegate)((HttpContext context) => AddAsync(context, options))).WithName(names + "AddHold"));
        action(group.MapDelete("/holds/{id}", (string id, HttpContext context) => ReleaseAsync(context, id)).WithName(names + "ReleaseHold"));
    }

    private static async Task<IResult> ListAsync(HttpContext context, string? jobId) =>
        await HoldsAsync(context, async holds =>
            Results.Json((await holds.ListAsync(jobId, context.RequestAborted).ConfigureAwait(false)).Select(HoldResponse.From).ToArray(), CleanupJson.Options)).ConfigureAwait(false);

    private static async Task<IResult> AddAsync(HttpContext context, JobCleanupEndpointOptions options)
    {
        if (CleanupEndpoints.ContentTypeProblem(context) is { } refused)
        {
            return refused;
        }

        var body = await CleanupEndpoints.ReadBodyAsync(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        if (!HoldRequestBody.TryParse(body.Bytes, out var request, out var error))
        {
            return CleanupEndpoints.Invalid(error.Field, error.Message);
        }

        return await HoldsAsync(context, async holds =>
        {
            // Not the request's token: a client that hangs up must not leave a hold stored but unaudited.
            var hold = await holds.AddAsync(request.JobId, CleanupEndpoints.User(context), request.Reason, request.Until, CancellationToken.None).ConfigureAwait(false);
            AuditLog.HoldAdded(CleanupEndpoints.Audit(context), hold.Id, request.JobId, hold.Owner, CleanupEndpoints.RemoteIp(context), hold.Reason);
            return Results.Json(HoldResponse.From(hold), CleanupJson.Options, statusCode: StatusCodes.Status201Created);
        }).ConfigureAwait(false);
    }

    private static async Task<IResult> ReleaseAsync(HttpContext context, string id) =>
        await HoldsAsync(context, async holds =>
        {
            var user = CleanupEndpoints.User(context);
            var hold = await holds.ReleaseAsync(id, user, CancellationToken.None).ConfigureAwait(false);
            AuditLog.HoldReleased(CleanupEndpoints.Audit(context), hold.Id, hold.JobId!, user, CleanupEndpoints.RemoteIp(context));
            return Results.Json(HoldResponse.From(hold), CleanupJson.Options);
        }).ConfigureAwait(false);

    // A refused request is a 400 naming what is wrong (404 for a hold that is not there); a store without holds, a 404.
    private static async Task<IResult> HoldsAsync(HttpContext context, Func<IJobHolds, Task<IResult>> work)
    {
        try
        {
            return await work(context.RequestServices.GetRequiredService<IJobHolds>()).ConfigureAwait(false);
        }
        catch (JobHoldRefusedException ex) when (ex.HoldNotFound)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such hold", detail: ex.Message);
        }
        catch (JobHoldRefusedException ex)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["hold"] = [ex.Message] }, detail: ex.Message, title: "Hold refused");
        }
        catch (RetentionConfigurationException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No holds", detail: ex.Message);
        }
    }
}

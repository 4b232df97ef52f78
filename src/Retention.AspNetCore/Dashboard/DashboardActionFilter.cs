using Microsoft.AspNetCore.Http;

namespace Retention.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's anti-forgery: an action must carry the header the page sends (<see cref="HeaderName"/>) and, when the
/// browser says where it comes from, come from the dashboard's own origin. A page on another site cannot add a custom
/// header without a CORS preflight, which nothing here grants, so a forged request never arrives with it; no token is
/// kept, so it works with any sign-in scheme and any number of instances.
/// </summary>
internal static class DashboardActionFilter
{
    public const string HeaderName = "X-Retention-Dashboard";

    public static ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var problem = !request.Headers.ContainsKey(HeaderName)
            ? $"Dashboard actions must carry the {HeaderName} header the dashboard's page sends."
            : request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site && site != "same-origin"
                ? $"Dashboard actions are accepted from the dashboard's own origin only (Sec-Fetch-Site is {site})."
                : request.Headers.Origin is { Count: > 0 } origin && !SameHost(origin.ToString(), request.Host)
                    ? $"Dashboard actions are accepted from the dashboard's own origin only, not {origin}."
                    : null;
        return problem is null
            ? next(context)
            : ValueTask.FromResult<object?>(Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Dashboard action refused", detail: problem));
    }

    // The host and port only: behind a proxy that ends TLS the scheme the app sees differs from the browser's.
    private static bool SameHost(string origin, HostString host) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, host.Value, StringComparison.OrdinalIgnoreCase);
}

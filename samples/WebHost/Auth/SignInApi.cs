using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace WebHost.Auth;

/// <summary>
/// Browser sign-in for the dashboard: <c>/login</c> takes the admin (or viewer) token once and sets a same-site cookie, so the
/// dashboard page, which a browser opens without an Authorization header, is behind the same policy as the API.
/// </summary>
internal static class SignInApi
{
    public const string Scheme = "AdminTokenOrCookie";

    /// <summary>Bearer requests (curl, scripts) use the token; everything else the cookie. API calls get 401, not a redirect.</summary>
    public static void AddAdminSignIn(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Admin token or cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? AdminTokenHandler.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, AdminTokenHandler>(AdminTokenHandler.SchemeName, null)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.Cookie.Name = "retention-admin";
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.HttpOnly = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Challenge(context, StatusCodes.Status403Forbidden);
            });
    }

    public static void MapAdminSignIn(this IEndpointRouteBuilder app)
    {
        app.MapGet("/login", () => Page(error: null)).AllowAnonymous();
        app.MapPost("/login", SignInAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });
    }

    private static async Task<IResult> SignInAsync(HttpContext context, AdminToken token)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var user = token.SignIn(form["token"].ToString(), CookieAuthenticationDefaults.AuthenticationScheme);
        if (user is null)
        {
            return Page("That is not the admin token (nor the viewer token).", StatusCodes.Status401Unauthorized);
        }

        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, user);
        return Results.Redirect("/retention/");
    }

    // The sign-in form: no script, no style, nothing from elsewhere.
    private static IResult Page(string? error, int status = StatusCodes.Status200OK) => Results.Content(
        $"""
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>Sign in: job cleanup</title><link rel="icon" href="data:,"></head>
        <body>
          <h1>Job cleanup</h1>
          {(error is null ? string.Empty : $"<p id=\"error\" role=\"alert\">{error}</p>")}
          <form method="post" action="/login">
            <p><label>Admin token <input id="token" name="token" type="password" autocomplete="off" required autofocus></label></p>
            <p><button id="connect" type="submit">Sign in</button></p>
          </form>
        </body>
        </html>
        """,
        "text/html; charset=utf-8",
        statusCode: status);

    // Pages redirect to the sign-in page; API calls (JSON, fetch) get the status code itself.
    private static Task Challenge(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var accepts = context.Request.Headers.Accept.ToString();
        if (status == StatusCodes.Status401Unauthorized && context.Request.Method == HttpMethods.Get && accepts.Contains("text/html", StringComparison.Ordinal))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Retention.AspNetCore.Endpoints;

/// <summary>
/// The rule the API and the dashboard share: mapped behind the policy the host names, or open only when the host said
/// <c>AllowAnonymous</c> out loud; neither is refused before anything is mapped.
/// </summary>
internal static class GroupAuthorization
{
    /// <summary>Maps the group behind <paramref name="policy"/>, or open when there is none and <paramref name="allowAnonymous"/> is set.</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The group's route prefix.</param>
    /// <param name="policy">The policy every endpoint requires.</param>
    /// <param name="allowAnonymous">Whether mapping without a policy was chosen.</param>
    /// <param name="refusal">The error when neither was chosen: which call, and why it needs a policy.</param>
    /// <returns>The group.</returns>
    public static RouteGroupBuilder MapGroup(IEndpointRouteBuilder endpoints, string prefix, string? policy, bool allowAnonymous, string refusal)
    {
        if (string.IsNullOrWhiteSpace(policy))
        {
            return allowAnonymous
                ? endpoints.MapGroup(prefix).AllowAnonymous()
                : throw new InvalidOperationException(refusal + "; name the authorization policy it requires (o => o.AuthorizationPolicy = \"CleanupAdmin\") or set AllowAnonymous = true.");
        }

        return endpoints.MapGroup(prefix).RequireAuthorization(policy);
    }
}

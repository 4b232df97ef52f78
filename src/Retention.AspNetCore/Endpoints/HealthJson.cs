using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Retention.AspNetCore.Contracts;

namespace Retention.AspNetCore.Endpoints;

/// <summary>Writes a health report as snake_case JSON: status, description and the check's data.</summary>
internal static class HealthJson
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var entry = report.Entries.Values.FirstOrDefault();
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(
            context.Response.Body,
            new
            {
                status = report.Status.ToString().ToLowerInvariant(),
                description = entry.Description,
                data = entry.Data,
            },
            CleanupJson.Options,
            context.RequestAborted);
    }
}

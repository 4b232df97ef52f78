using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Retention.AspNetCore.Tests.Support;

/// <summary>JSON in and out of the endpoint tests' requests: a body to send, and an answer read as a document.</summary>
internal static class HttpJson
{
    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static async Task<JsonElement> Body(HttpResponseMessage response) => (await response.Content.ReadFromJsonAsync<JsonElement>())!;
}

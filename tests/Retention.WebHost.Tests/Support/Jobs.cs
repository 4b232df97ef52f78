using System.Net.Http.Json;
using System.Text.Json;

namespace Retention.WebHost.Tests.Support;

/// <summary>Submits jobs to the sample as a user would, and waits for the processor to finish them.</summary>
internal static class Jobs
{
    public static async Task<string> SubmitAsync(HttpClient client, string fileName, int bytes = 4096)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(new byte[bytes]), "file", fileName);
        var response = await client.PostAsync("/api/jobs", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("job_id").GetString()!;
    }

    /// <summary>Waits (up to 10 s of real time) until the job has left pending and running.</summary>
    public static async Task<string> WaitFinishedAsync(HttpClient client, string jobId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var status = (await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{jobId}", timeout.Token)).GetProperty("status").GetString()!;
            if (status is not ("pending" or "running"))
            {
                return status;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}

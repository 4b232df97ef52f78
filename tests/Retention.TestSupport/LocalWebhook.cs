using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Retention.TestSupport;

/// <summary>A real HTTP listener on 127.0.0.1 that records each posted body and answers with a chosen status code.</summary>
public sealed class LocalWebhook : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<string> _bodies = Channel.CreateUnbounded<string>();
    private readonly Task _loop;

    public LocalWebhook(HttpStatusCode answer = HttpStatusCode.OK)
    {
        Answer = answer;
        Url = new Uri($"http://127.0.0.1:{FreePort()}/hooks/cleanup/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public HttpStatusCode Answer { get; set; }

    public async Task<string> NextBodyAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _bodies.Reader.ReadAsync(timeout.Token);
    }

    public bool HasBody => _bodies.Reader.TryPeek(out _);

    public void Dispose()
    {
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            await _bodies.Writer.WriteAsync(context.Request.ContentType + "\n" + await reader.ReadToEndAsync());
            context.Response.StatusCode = (int)Answer;
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}

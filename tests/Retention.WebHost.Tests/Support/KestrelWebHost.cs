using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Retention.WebHost.Tests.Support;

/// <summary>The web sample on real Kestrel at 127.0.0.1 on a free port, on its own temp data directory.</summary>
internal sealed class KestrelWebHost : IDisposable
{
    private readonly Factory _factory;

    public KestrelWebHost(params (string Key, string Value)[] settings)
    {
        Port = FreePort();
        _factory = new Factory(Tree.Root, settings);
        _factory.UseKestrel(Port);
        _factory.StartServer();
    }

    public TempTree Tree { get; } = new();

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public HttpClient Client(string? token = WebHostFactory.Token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public void Dispose()
    {
        _factory.Dispose();
        Tree.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private sealed class Factory(string dataDirectory, (string Key, string Value)[] settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Web:DataDirectory", dataDirectory);
            builder.UseSetting("Web:JobDuration", "00:00:00");
            builder.UseSetting("Admin:Token", WebHostFactory.Token);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

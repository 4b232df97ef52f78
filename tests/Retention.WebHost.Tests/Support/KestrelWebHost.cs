using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Retention.WebHost.Tests.Support;

/// <summary>The web sample on real Kestrel at 127.0.0.1 on a free port, on its own temp data directory.</summary>
internal sealed class KestrelWebHost : IDisposable
{
    private readonly Factory _factory;

    public KestrelWebHost(params (string Key, string Value)[] settings)
        : this(services: null, settings)
    {
    }

    /// <summary>The sample with some of its services replaced (a gated deleter), before it starts.</summary>
    public KestrelWebHost(Action<IServiceCollection>? services, params (string Key, string Value)[] settings)
    {
        _factory = new Factory(Tree.Root, settings, services);

        // Port 0: the system picks a free port as Kestrel binds, so parallel runs never race for one.
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
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

    /// <summary>The sample's SQLite database.</summary>
    public string DatabasePath => Path.Combine(Tree.Root, "jobs.db");

    private sealed class Factory(string dataDirectory, (string Key, string Value)[] settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            builder.UseSetting("Web:DataDirectory", dataDirectory);
            builder.UseSetting("Web:JobDuration", "00:00:00");
            builder.UseSetting("Admin:Token", WebHostFactory.Token);
            builder.UseSetting("Admin:ViewerToken", WebHostFactory.ViewerToken);
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }

            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Retention.Hosting;

/// <summary>Sets <see cref="JobCleanupOptions.BasePath"/> to the host's content root when none is given, so relative roots resolve there.</summary>
internal sealed class ContentRootBasePath(IServiceProvider services) : IPostConfigureOptions<JobCleanupOptions>
{
    public void PostConfigure(string? name, JobCleanupOptions options) =>
        options.BasePath ??= services.GetService<IHostEnvironment>()?.ContentRootPath;
}

using Retention.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the run between jobs; every job finished by then is recorded.
    e.Cancel = true;
    cancel.Cancel();
};

var context = CliContext.FromProcess();
try
{
    return await Cli.RunAsync(args, context, cancel.Token);
}
finally
{
    await context.Out.FlushAsync();
}

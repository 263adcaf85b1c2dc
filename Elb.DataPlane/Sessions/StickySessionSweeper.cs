using Elb.Commands.Hosting;
using Elb.DataPlane.LoadBalancing;

namespace Elb.DataPlane.Sessions;

/// <summary>
/// How many ties one pool's sticky table keeps (<c>DataPlane:Sticky:MaxEntries</c>, 100,000), and how often expired
/// ones are dropped (<c>DataPlane:Sticky:SweepSeconds</c>, 30).
/// </summary>
public sealed record StickyTableOptions(int MaxEntries = 100_000, int SweepSeconds = 30)
{
    public static StickyTableOptions From(IConfiguration configuration) => new(
        configuration.GetValue("DataPlane:Sticky:MaxEntries", 100_000),
        configuration.GetValue("DataPlane:Sticky:SweepSeconds", 30));
}

/// <summary>
/// Drops expired sticky ties, and what the node kept for pools it no longer routes, on a timer, so that requests
/// never pay for it.
/// </summary>
public sealed class StickySessionSweeper(RoutingRuntime routing, StickyTableOptions options, TimeProvider time,
    ILogger<StickySessionSweeper> logger) : PeriodicWork(TimeSpan.FromSeconds(options.SweepSeconds), time)
{
    protected override Task RunOnceAsync(CancellationToken cancellation)
    {
        routing.Sweep();
        return Task.CompletedTask;
    }

    // A sweep that fails leaves ties until the next one.
    protected override void OnFailed(Exception failure) => logger.LogError(failure, "Sweeping the sticky tables failed");
}

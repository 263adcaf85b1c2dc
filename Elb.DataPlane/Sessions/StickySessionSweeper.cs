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

/// <summary>Drops expired sticky ties on a timer, so that requests never pay for it.</summary>
public sealed class StickySessionSweeper(RoutingRuntime routing, StickyTableOptions options, TimeProvider time,
    ILogger<StickySessionSweeper> logger) : BackgroundService
{
    // Made with the service rather than in ExecuteAsync (which runs on the thread pool): its ticks count from a
    // known instant, so a test's clock can move right after start.
    private readonly PeriodicTimer _timer = new(TimeSpan.FromSeconds(options.SweepSeconds), time);

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await _timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                routing.SweepAffinities();
            }
            // A sweep that fails leaves ties until the next one; it must never stop the node.
            catch (Exception e)
            {
                logger.LogError(e, "Sweeping the sticky tables failed");
            }
        }
    }
}

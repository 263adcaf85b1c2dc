namespace Elb.DataPlane.Routing;

/// <summary>
/// Loads every load balancer from the control plane once the node's queue is listening, so nothing published
/// meanwhile is missed: anything older than the snapshot is then dropped as a duplicate, anything newer applied.
/// </summary>
public sealed class InitialSnapshotLoader(
    RoutingTable table,
    ControlPlaneClient controlPlane,
    IHostApplicationLifetime lifetime,
    ILogger<InitialSnapshotLoader> logger) : BackgroundService
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsLoaded => _loaded.Task.IsCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStarted(stoppingToken);
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var snapshots = await controlPlane.GetAllAsync(stoppingToken);
                foreach (var snapshot in snapshots) table.Load(snapshot);
                logger.LogInformation("Loaded {Count} load balancers from the control plane", snapshots.Count);
                _loaded.TrySetResult();
                return;
            }
            catch (HttpRequestException e)
            {
                logger.LogWarning("Control plane not reachable yet ({Error}); retrying in {Delay}", e.Message, delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private Task WhenStarted(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        return started.Task;
    }
}

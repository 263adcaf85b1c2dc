using Elb.Commands.Messaging;
using Wolverine.Runtime;

namespace Elb.DataPlane.Routing;

/// <summary>
/// Loads every load balancer from the control plane once the node's queue is listening, so nothing published
/// meanwhile is missed: anything older than the snapshot is then dropped as a duplicate, anything newer applied.
/// Before that it has Wolverine compile the change handler, which it otherwise does when the first change arrives
/// (1-2 s here): a node that reports ready applies its first change as fast as the rest.
/// </summary>
public sealed class InitialSnapshotLoader(
    RoutingTable table,
    ControlPlaneClient controlPlane,
    IWolverineRuntime wolverine,
    IHostApplicationLifetime lifetime,
    ILogger<InitialSnapshotLoader> logger) : BackgroundService
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsLoaded => _loaded.Task.IsCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStarted(stoppingToken);
        // Only the concrete runtime offers to build a handler ahead of its first message.
        await Task.Run(() => ((WolverineRuntime)wolverine).Handlers.HandlerFor(typeof(LoadBalancerChange)), stoppingToken);
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

using Elb.Commands.Hosting;
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
    TimeProvider time,
    ILogger<InitialSnapshotLoader> logger) : BackgroundService
{
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsLoaded => _loaded.Task.IsCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStarted(stoppingToken);
        // Only the concrete runtime offers to build a handler ahead of its first message.
        await Task.Run(() => ((WolverineRuntime)wolverine).Handlers.HandlerFor(typeof(LoadBalancerChanges)), stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var snapshots = await controlPlane.GetAllAsync(stoppingToken);
                table.LoadAll(snapshots);
                logger.LogInformation("Loaded {Count} load balancers from the control plane", snapshots.Count);
                _loaded.TrySetResult();
                return;
            }
            // Unreachable, timed out, an answer that does not parse: never escapes (it would stop the node), retried.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Control plane not reachable yet ({Error}); retrying", e.Message);
                await Backoff.WaitAsync(++failures, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), time, stoppingToken);
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

using Microsoft.Extensions.Hosting;

namespace Elb.Commands.Hosting;

/// <summary>
/// Work done every <c>interval</c> that survives its own failures: a round that throws is reported to
/// <see cref="OnFailed"/> and the next tick tries again; nothing but stopping ends the loop.
/// </summary>
public abstract class PeriodicWork(TimeSpan interval, TimeProvider time) : BackgroundService
{
    // Made with the service rather than in ExecuteAsync (which runs on the thread pool): its ticks count from a
    // known instant, so a test's clock can move right after start.
    private readonly PeriodicTimer _timer = new(interval, time);

    protected TimeProvider Time { get; } = time;

    protected abstract Task RunOnceAsync(CancellationToken cancellation);

    protected abstract void OnFailed(Exception failure);

    protected virtual void OnSucceeded()
    {
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (await _timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                OnSucceeded();
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                OnFailed(e);
            }
        }
    }
}

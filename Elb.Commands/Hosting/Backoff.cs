namespace Elb.Commands.Hosting;

/// <summary>How long to wait before retrying what failed: doubling from <c>first</c>, never longer than <c>cap</c>.</summary>
public static class Backoff
{
    public static TimeSpan After(int failures, TimeSpan first, TimeSpan cap) =>
        failures <= 1 ? TimeSpan.FromTicks(Math.Min(first.Ticks, cap.Ticks))
            : TimeSpan.FromTicks((long)Math.Min(cap.Ticks, first.Ticks * Math.Pow(2, Math.Min(failures - 1, 30))));

    /// <summary>Waits <see cref="After"/>; false, without throwing, when <paramref name="stopping"/> ends the wait.</summary>
    public static async Task<bool> WaitAsync(int failures, TimeSpan first, TimeSpan cap, TimeProvider time, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(After(failures, first, cap), time, stopping);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

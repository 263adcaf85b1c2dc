namespace Elb.IntegrationTests;

/// <summary>Waits for what the system does asynchronously: a node converging, an event delivered, a connection cut.</summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; a <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="within"/>.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan within, TimeSpan poll)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException(what);
            await Task.Delay(poll);
        }
    }
}

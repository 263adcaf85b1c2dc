using Elb.Commands.Hosting;

namespace Elb.Commands.Tests.Hosting;

public class BackoffTests
{
    [Fact]
    public void Backoff_doubles_from_the_first_wait_up_to_the_cap()
    {
        var waits = Enumerable.Range(1, 8).Select(n => Backoff.After(n, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)).TotalSeconds);

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], waits);
        Assert.Equal(TimeSpan.FromMinutes(1), Backoff.After(int.MaxValue, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1)));
    }
}

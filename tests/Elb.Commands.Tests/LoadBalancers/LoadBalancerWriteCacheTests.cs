using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.LoadBalancers;

public class LoadBalancerWriteCacheTests
{
    private static readonly LoadBalancer AtVersionTwo = Evolve(Created(), PoolCreated()) with { Version = 2 };

    [Fact]
    public void A_load_balancer_is_handed_out_at_the_version_it_is_at_and_to_one_command_only()
    {
        var cache = new LoadBalancerWriteCache(10);

        cache.Store(AtVersionTwo);

        Assert.True(cache.TryTake(LoadBalancerId, 2, out var taken));
        Assert.Same(AtVersionTwo, taken);
        Assert.False(cache.TryTake(LoadBalancerId, 2, out _));
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public void A_load_balancer_kept_at_another_version_than_the_stream_is_not_handed_out_and_is_dropped()
    {
        var cache = new LoadBalancerWriteCache(10);
        cache.Store(AtVersionTwo);

        // another gateway committed version 3 meanwhile
        Assert.False(cache.TryTake(LoadBalancerId, 3, out _));
        Assert.False(cache.TryTake(LoadBalancerId, 2, out _));
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public void Past_its_limit_the_cache_drops_entries_rather_than_growing()
    {
        var cache = new LoadBalancerWriteCache(10);
        var ids = Enumerable.Range(0, 25).Select(_ => Guid.NewGuid()).ToList();

        foreach (var id in ids) cache.Store(AtVersionTwo with { Id = id });

        var kept = ids.Count(id => cache.TryTake(id, 2, out _));
        Assert.InRange(kept, 1, 10);
    }
}

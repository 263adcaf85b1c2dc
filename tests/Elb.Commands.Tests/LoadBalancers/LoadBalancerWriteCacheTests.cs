using Elb.Commands.LoadBalancers;
using Elb.Projections.LoadBalancers;
using JasperFx.Events.Fetching;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.LoadBalancers;

public class LoadBalancerWriteCacheTests
{
    private static readonly LoadBalancer AtVersionTwo = Evolve(Created(), PoolCreated()) with { Version = 2 };

    private static AggregateCacheKey Key(Guid id) => new(typeof(LoadBalancer), "elb", "*DEFAULT*", id);

    [Fact]
    public void A_snapshot_is_kept_at_the_version_it_is_at_and_handed_to_one_command_only()
    {
        var cache = new LoadBalancerWriteCache(10);

        cache.Store(Key(LoadBalancerId), AtVersionTwo, 2);

        Assert.True(cache.TryTake(Key(LoadBalancerId), out var taken, out var version));
        Assert.Same(AtVersionTwo, taken);
        Assert.Equal(2, version);
        Assert.False(cache.TryTake(Key(LoadBalancerId), out _, out _));
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public void The_snapshot_a_command_fetched_is_not_kept_at_the_version_its_commit_reached()
    {
        var cache = new LoadBalancerWriteCache(10);
        cache.Store(Key(LoadBalancerId), AtVersionTwo with { Version = 3 }, 3);

        // Marten's write-back, after the commit that took the load balancer from 2 to 3, with the instance it fetched at 2
        cache.Store(Key(LoadBalancerId), AtVersionTwo, 3);

        Assert.True(cache.TryTake(Key(LoadBalancerId), out var taken, out _));
        Assert.Equal(3, ((LoadBalancer)taken).Version);
    }

    [Fact]
    public void Past_its_limit_the_cache_drops_entries_rather_than_growing()
    {
        var cache = new LoadBalancerWriteCache(10);
        var ids = Enumerable.Range(0, 25).Select(_ => Guid.NewGuid()).ToList();

        foreach (var id in ids) cache.Store(Key(id), AtVersionTwo, 2);

        var kept = ids.Count(id => cache.TryTake(Key(id), out _, out _));
        Assert.InRange(kept, 1, 10);
    }
}

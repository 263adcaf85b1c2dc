using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Routing;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.LoadBalancing;

public class SourceIpHashTests
{
    private static readonly string[] Clients = [.. Enumerable.Range(0, 20_000).Select(i => $"192.168.{i / 250}.{i % 250 + 1}")];

    private static Dictionary<string, Guid> Assign(PoolRoute route)
    {
        var runtime = Runtime(route);
        return Clients.ToDictionary(c => c, c => route.Members[runtime.Algorithm.Pick(new PickRequest(StableHash.OfClient(c)))].Id);
    }

    private static PoolRoute Pool(int members) => Route(LbAlgorithm.SourceIp,
        [.. Enumerable.Range(0, members).Select(n => Member(1 + n % 3, n: n))]);

    [Fact]
    public void A_client_always_lands_on_the_same_member_and_clients_spread_evenly_whatever_the_weights()
    {
        var assignment = Assign(Pool(10));

        Assert.Equal(assignment, Assign(Pool(10)));
        Assert.All(assignment.GroupBy(a => a.Value), g => Assert.InRange(g.Count(), 1600, 2400));
    }

    [Fact]
    public void Adding_one_of_N_members_moves_about_one_Nth_of_the_clients()
    {
        var before = Assign(Pool(10));
        var after = Assign(Pool(11));

        var moved = Clients.Count(c => before[c] != after[c]) / (double)Clients.Length;

        Assert.InRange(moved, 0.5 / 11, 1.6 / 11);
    }

    [Fact]
    public void Removing_a_member_moves_its_clients_and_few_others()
    {
        var pool = Pool(10);
        var before = Assign(pool);
        var removed = pool.Members[3].Id;
        var after = Assign(pool with { Members = pool.Members.RemoveAt(3) });

        var othersMoved = Clients.Where(c => before[c] != removed).Count(c => before[c] != after[c]);

        Assert.All(Clients.Where(c => before[c] == removed), c => Assert.NotEqual(removed, after[c]));
        Assert.InRange(othersMoved / (double)Clients.Length, 0, 0.05);
    }
}

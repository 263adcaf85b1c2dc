using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.Routing;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// SOURCE_IP: a client address always maps to the same member, through a Maglev lookup table; adding or removing
/// one of N members moves about 1/N of the clients. Weights are ignored, as in ELB (weight 0 still takes no new
/// requests). The table depends only on the members' ids, so every node maps a client alike.
/// </summary>
public sealed class SourceIpHash : ILoadBalancingAlgorithm
{
    private readonly ushort[] _lookup;

    public SourceIpHash(PoolRoute route, int[] candidates)
    {
        var slots = Maglev.Build([.. candidates.Select(i => route.Members[i].Id)]);
        _lookup = [.. slots.Select(slot => (ushort)candidates[slot])];
    }

    public LbAlgorithm Kind => LbAlgorithm.SourceIp;

    public int Pick(in PickRequest request) =>
        _lookup.Length == 0 ? -1 : _lookup[(int)(request.ClientHash % (ulong)_lookup.Length)];

    public void Dispose()
    {
    }
}

/// <summary>Maglev consistent hashing (Eisenbud et al., NSDI 2016): each backend fills the table in its own permutation order.</summary>
public static class Maglev
{
    /// <summary>
    /// Table sizes (primes). The size must not follow every change of N, or each change reshuffles every client;
    /// two fixed sizes keep M ≥ 100 N (shares within about 1 % of even) for up to 40 and up to 655 backends, and
    /// only crossing 40 reshuffles.
    /// </summary>
    public const int SmallTable = 4_093;
    public const int LargeTable = 65_521;
    public const int SmallTableBackends = 40;

    /// <returns>For each table slot, the position of its backend in <paramref name="backends"/>.</returns>
    public static int[] Build(Guid[] backends)
    {
        if (backends.Length == 0) return [];
        var size = backends.Length <= SmallTableBackends ? SmallTable : LargeTable;
        var offsets = backends.Select(b => (long)(StableHash.Of(b, 1) % (ulong)size)).ToArray();
        var skips = backends.Select(b => (long)(StableHash.Of(b, 2) % (ulong)(size - 1)) + 1).ToArray();
        var next = new long[backends.Length];
        var table = Enumerable.Repeat(-1, size).ToArray();
        for (var filled = 0; ;)
        {
            for (var b = 0; b < backends.Length; b++)
            {
                long slot;
                do slot = (offsets[b] + next[b]++ * skips[b]) % size;
                while (table[slot] >= 0);
                table[slot] = b;
                if (++filled == size) return table;
            }
        }
    }
}

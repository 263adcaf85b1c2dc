using System.Net;
using System.Runtime.InteropServices;

namespace Elb.DataPlane.LoadBalancing;

/// <summary>
/// A hash every node computes alike (unlike <see cref="string.GetHashCode()"/>, which is seeded per process), so all
/// nodes send one client to one member: FNV-1a with a SplitMix64 finish for even spread.
/// </summary>
public static class StableHash
{
    public static ulong Of(ReadOnlySpan<byte> bytes, ulong seed = 0)
    {
        var hash = 14695981039346656037UL ^ seed;
        foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return Mix(hash);
    }

    public static ulong Of(Guid id, ulong seed = 0)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes);
        return Of(bytes, seed);
    }

    /// <summary>The hash of a client address; anything that is not an IP address is hashed as text.</summary>
    public static ulong OfClient(string client)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (IPAddress.TryParse(client, out var address) && address.TryWriteBytes(bytes, out var written))
        {
            return Of(bytes[..written]);
        }
        return Of(MemoryMarshal.AsBytes(client.AsSpan()));
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

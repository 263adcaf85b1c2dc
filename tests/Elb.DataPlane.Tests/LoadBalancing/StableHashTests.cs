using Elb.DataPlane.LoadBalancing;

namespace Elb.DataPlane.Tests.LoadBalancing;

public class StableHashTests
{
    /// <summary>Pinned values: every node, in every process and version, must send a client to the same member.</summary>
    [Theory]
    [InlineData("10.0.0.1", 0xE7A770915E3A6BB4UL)]
    [InlineData("fd00::7", 0x5722E4308A0E7A3CUL)]
    public void The_client_hash_is_the_same_in_every_process(string client, ulong expected)
    {
        Assert.Equal(expected, StableHash.OfClient(client));
    }
}

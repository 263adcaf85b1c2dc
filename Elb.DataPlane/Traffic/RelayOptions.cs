namespace Elb.DataPlane.Traffic;

/// <summary>
/// What one UDP listener may hold (<c>DataPlane:Udp:MaxSessions</c>): each session is a socket to a member, so a flood
/// of new client addresses would otherwise exhaust the node's sockets and memory. Past the cap the least recently used
/// session ends.
/// </summary>
public sealed record UdpRelayOptions(int MaxSessions = 10_000)
{
    public static UdpRelayOptions From(IConfiguration configuration) =>
        new(configuration.GetValue("DataPlane:Udp:MaxSessions", 10_000));
}

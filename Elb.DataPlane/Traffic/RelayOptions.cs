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

/// <summary>
/// What one TCP listener's relays may take: <c>DataPlane:Tcp:ConnectTimeoutSeconds</c> (5) to reach a member that does
/// not answer, <c>DataPlane:Tcp:IdleTimeoutSeconds</c> (ELB's default idle timeout of TCP listeners, 300) without a
/// byte either way, and <c>DataPlane:Tcp:MaxConnections</c> (10,000) open at once; a connection past the cap is
/// closed at once, so the node keeps its sockets for the connections it already serves.
/// </summary>
public sealed record TcpRelayOptions(TimeSpan ConnectTimeout, TimeSpan IdleTimeout, int MaxConnections)
{
    public static readonly TcpRelayOptions Default = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(300), 10_000);

    public static TcpRelayOptions From(IConfiguration configuration) => new(
        TimeSpan.FromSeconds(configuration.GetValue("DataPlane:Tcp:ConnectTimeoutSeconds", Default.ConnectTimeout.TotalSeconds)),
        TimeSpan.FromSeconds(configuration.GetValue("DataPlane:Tcp:IdleTimeoutSeconds", Default.IdleTimeout.TotalSeconds)),
        configuration.GetValue("DataPlane:Tcp:MaxConnections", Default.MaxConnections));
}

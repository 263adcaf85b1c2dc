using Elb.Commands.Hosting;
using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Resilience;
using Elb.DataPlane.Sessions;

namespace Elb.DataPlane.Traffic;

/// <summary>
/// One UDP listener. UDP has no connections, so a client's address and port make a session: its first datagram picks
/// the member (as a TCP connection would), and the session keeps a socket of its own to that member, through which
/// the client's datagrams go and the member's replies come back to the client from the listener's port. A session
/// ends after <see cref="IdleTimeout"/> without datagrams, when the member refuses them (ICMP port unreachable), when
/// the member's connections are dropped, or when the listener is at <see cref="UdpRelayOptions.MaxSessions"/> and a new
/// client comes: then the least recently used session makes room. Buffers come from the shared pool and are held only
/// while a datagram is copied, so an idle session costs a socket, not 64 KB.
/// </summary>
public sealed class UdpListenerProxy : IAsyncDisposable
{
    /// <summary>ELB v3's default idle timeout of UDP listeners.</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(300);

    private const int MaxDatagram = 65_535;

    private readonly Socket _socket;
    private readonly Func<PoolRuntime?> _pool;
    private readonly MemberConnections _connections;
    private readonly NodeFaults _faults;
    private readonly string _part;
    private readonly TimeProvider _time;
    private readonly LruTable<IPEndPoint, Session> _sessions;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly Task _sweeping;

    /// <param name="part">How the listener is named in <see cref="NodeFaults"/>.</param>
    public UdpListenerProxy(IPAddress address, int port, Func<PoolRuntime?> pool, MemberConnections connections,
        UdpRelayOptions options, NodeFaults faults, string part, TimeProvider time)
    {
        _faults = faults;
        _part = part;
        _sessions = new LruTable<IPEndPoint, Session>(options.MaxSessions);
        _pool = pool;
        _connections = connections;
        _time = time;
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(new IPEndPoint(address, port));
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw new IOException(e.Message, e);
        }
        _receiving = ReceiveAsync(address.AddressFamily);
        _sweeping = SweepIdleSessionsAsync();
    }

    private async Task ReceiveAsync(AddressFamily family)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
        try
        {
            await RelayClientsAsync(family, buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Relays client datagrams until the listener is disposed. Anything else that fails, in receiving or in opening a
    /// session, is reported and retried with backoff: it must not end the listener, nor escape.
    /// </summary>
    private async Task RelayClientsAsync(AddressFamily family, byte[] buffer)
    {
        EndPoint anyone = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await RelayOneAsync(buffer, anyone);
                if (failures > 0) _faults.Clear(_part);
                failures = 0;
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                // An ICMP error about an earlier reply to some client: nothing to do for the next datagram.
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _faults.Report(_part, e);
                await Backoff.WaitAsync(++failures, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), _time, _stop.Token);
            }
        }
    }

    private async Task RelayOneAsync(byte[] buffer, EndPoint anyone)
    {
        var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, anyone, _stop.Token);
        var client = (IPEndPoint)received.RemoteEndPoint;
        if ((!_sessions.TryGet(client, out var session) || session.IsClosed) && (session = await OpenAsync(client)) is null)
        {
            return;
        }
        await session.ForwardAsync(buffer.AsMemory(0, received.ReceivedBytes));
    }

    private async Task<Session?> OpenAsync(IPEndPoint client)
    {
        if (_pool() is not { } runtime) return null;
        var chosen = runtime.Choose(new ClientRequest(client.Address.ToString()));
        if (chosen < 0) return null;
        var member = runtime.Route.Members[chosen];
        if (!_connections.Egress.Allows(member.Address, member.ProtocolPort, "udp"))
        {
            runtime.Counters[chosen].Failed();
            return null;
        }
        var backend = new Socket(SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await backend.ConnectAsync(member.Address, member.ProtocolPort, _stop.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            backend.Dispose();
            runtime.Counters[chosen].Failed();
            return null;
        }
        var session = new Session(this, client, backend, runtime.Counters[chosen], _connections.For(member.Id).Dropped.Token);
        if (_sessions.Set(client, session) is { } evicted) evicted.Value.Close();
        return session;
    }

    private async Task SweepIdleSessionsAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                foreach (var idle in _sessions.RemoveOldestWhile(s => _time.GetElapsedTime(s.LastActive) > IdleTimeout))
                {
                    idle.Close();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        foreach (var session in _sessions.RemoveOldestWhile(_ => true)) session.Close();
        await Task.WhenAll(_receiving, _sweeping);
    }

    private sealed class Session
    {
        private readonly UdpListenerProxy _listener;
        private readonly IPEndPoint _client;
        private readonly Socket _backend;
        private readonly MemberCounters _counters;
        private readonly MemberCounters.Lease _lease;
        private readonly CancellationTokenRegistration _dropped;
        private int _closed;

        public Session(UdpListenerProxy listener, IPEndPoint client, Socket backend, MemberCounters counters, CancellationToken dropped)
        {
            _listener = listener;
            _client = client;
            _backend = backend;
            _counters = counters;
            _lease = counters.Start();
            LastActive = listener._time.GetTimestamp();
            _dropped = dropped.Register(Close);
            _ = RelayRepliesAsync();
        }

        public long LastActive { get; private set; }

        public bool IsClosed => Volatile.Read(ref _closed) == 1;

        public async Task ForwardAsync(ReadOnlyMemory<byte> datagram)
        {
            LastActive = _listener._time.GetTimestamp();
            try
            {
                await _backend.SendAsync(datagram, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Fail();
            }
        }

        private async Task RelayRepliesAsync()
        {
            try
            {
                while (true)
                {
                    // A zero-byte peek waits for the next reply without holding a buffer or consuming the datagram.
                    await _backend.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek);
                    var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagram);
                    try
                    {
                        var length = await _backend.ReceiveAsync(buffer, SocketFlags.None);
                        Touch();
                        await _listener._socket.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, _client);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                Fail();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Close();
            }
        }

        /// <summary>A reply is activity too: it keeps the session from idling out, and from eviction before quieter ones.</summary>
        private void Touch()
        {
            LastActive = _listener._time.GetTimestamp();
            _listener._sessions.TryGet(_client, out _);
        }

        private void Fail()
        {
            if (!IsClosed) _counters.Failed();
            Close();
        }

        public void Close()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 1) return;
            _listener._sessions.Remove(_client, this);
            _dropped.Unregister();
            _backend.Dispose();
            _lease.Dispose();
        }
    }
}

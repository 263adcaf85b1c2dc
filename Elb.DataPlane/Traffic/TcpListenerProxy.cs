using Elb.Commands.Hosting;
using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Elb.DataPlane.LoadBalancing;
using Elb.DataPlane.Resilience;
using Elb.DataPlane.Sessions;

namespace Elb.DataPlane.Traffic;

/// <summary>
/// One TCP listener: every accepted connection goes to the member the pool's runtime chooses, and bytes are copied
/// both ways until either side closes, the member's connections are dropped, nothing moves for the idle timeout, or
/// the member does not accept within the connect timeout. Past <see cref="TcpRelayOptions.MaxConnections"/> open at
/// once, a new connection is closed as soon as it is accepted.
/// </summary>
public sealed class TcpListenerProxy : IAsyncDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Func<PoolRuntime?> _pool;
    private readonly MemberConnections _connections;
    private readonly TcpRelayOptions _options;
    private readonly NodeFaults _faults;
    private readonly string _part;
    private readonly TimeProvider _time;
    private int _open;

    /// <param name="part">How the listener is named in <see cref="NodeFaults"/>.</param>
    public TcpListenerProxy(IPAddress address, int port, Func<PoolRuntime?> pool, MemberConnections connections,
        TcpRelayOptions options, NodeFaults faults, string part, TimeProvider time)
    {
        _pool = pool;
        _connections = connections;
        _options = options;
        _faults = faults;
        _part = part;
        _time = time;
        _listener = new TcpListener(address, port);
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new IOException(e.Message, e);
        }
        _accepting = AcceptAsync();
    }

    /// <summary>Connections relayed now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>
    /// Accepts until the listener is disposed. A failed accept (out of file descriptors, say) is reported and retried
    /// with backoff: it must not end the listener, nor escape.
    /// </summary>
    private async Task AcceptAsync()
    {
        var failures = 0;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                if (failures > 0) _faults.Clear(_part);
                failures = 0;
                if (Interlocked.Increment(ref _open) > _options.MaxConnections)
                {
                    Interlocked.Decrement(ref _open);
                    client.Dispose();
                    continue;
                }
                _ = ServeAsync(client);
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

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            using (client)
            {
                await RelayAsync(client);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        if (_pool() is not { } runtime) return;
        var address = (client.Client.RemoteEndPoint as IPEndPoint)?.Address.ToString();
        var chosen = runtime.Choose(new ClientRequest(address));
        if (chosen < 0) return;
        var member = runtime.Route.Members[chosen];
        var lane = _connections.For(member.Id);
        using var lease = runtime.Counters[chosen].Start();
        using var idle = new IdleWatch(_options.IdleTimeout, _time);
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, lane.Dropped.Token, idle.Idle);
        try
        {
            if (!_connections.Egress.Allows(member.Address, member.ProtocolPort, "tcp"))
            {
                runtime.Counters[chosen].Failed();
                return;
            }
            using var backend = new TcpClient();
            using (var connectTimeout = new CancellationTokenSource(_options.ConnectTimeout, _time))
            using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cut.Token, connectTimeout.Token))
            {
                await backend.ConnectAsync(member.Address, member.ProtocolPort, connecting.Token);
            }
            var clientStream = client.GetStream();
            var backendStream = backend.GetStream();
            await Task.WhenAny(PumpAsync(clientStream, backendStream, idle, cut.Token),
                PumpAsync(backendStream, clientStream, idle, cut.Token));
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            // Cut on purpose (dropped, stopped, idle) is no failure of the member; refused or not answering in time is.
            if (!cut.IsCancellationRequested) runtime.Counters[chosen].Failed();
        }
    }

    /// <summary>
    /// Copies one way, stamping activity. A zero-byte read waits for data without holding a buffer, so an idle
    /// connection costs none; a pooled one is held only while bytes are copied.
    /// </summary>
    private static async Task PumpAsync(NetworkStream from, NetworkStream to, IdleWatch idle, CancellationToken cancellation)
    {
        while (true)
        {
            _ = await from.ReadAsync(Memory<byte>.Empty, cancellation);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                var read = await from.ReadAsync(buffer, cancellation);
                if (read == 0) return;
                idle.Touch();
                await to.WriteAsync(buffer.AsMemory(0, read), cancellation);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
    }
}

using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Elb.Commands.LoadBalancers;

namespace Elb.DataPlane.Routing;

/// <summary>
/// Reads the gateway's <see cref="RoutingSnapshot"/> as it streams in, on every core: this thread only finds where
/// each load balancer's JSON ends, while the thread pool reads the load balancers found so far, each by the serializer
/// from its whole bytes (so each reads as it did in the whole answer; only the answer's own object is walked here).
/// </summary>
/// <remarks>
/// The serializer reads a stream on one core, and looks ahead over every member before its converter reads it
/// (<see cref="MemberJsonConverter"/>): a node reading 10,000 load balancers of 50 members and building its tables took
/// 1.2 s that way on a 2-core machine, 0.9 s this way (TableBuildBenchmarks).
/// </remarks>
public sealed class RoutingSnapshotReader
{
    /// <summary>
    /// Bytes gathered before they are scanned: a few load balancers of 50 members, a batch worth a thread, and less than
    /// the large object heap takes (its allocations bring full collections, long ones while the tables' objects pile up).
    /// </summary>
    public const int DefaultChunkSize = 1 << 16;

    /// <summary>
    /// Batches being read at most, per core: the client's thread waits rather than run ahead, so only a few chunks are
    /// ever held, each back in the array pool to be filled again once read.
    /// </summary>
    private static readonly int BatchesInFlight = 4 * Environment.ProcessorCount;

    private enum Position { BeforeSnapshot, InSnapshot, InLoadBalancers, AfterSnapshot }

    private readonly JsonTypeInfo<LoadBalancer> _loadBalancer;
    private readonly byte[] _loadBalancersName;
    private JsonReaderState _state;
    private Position _position = Position.BeforeSnapshot;
    /// <summary>Each batch of load balancers being read, in answer order.</summary>
    private List<Task<LoadBalancer[]>> _batches = [];

    private RoutingSnapshotReader(JsonSerializerOptions options)
    {
        _loadBalancer = (JsonTypeInfo<LoadBalancer>)options.GetTypeInfo(typeof(LoadBalancer));
        // The snapshot's one property, named as the serializer names it.
        _loadBalancersName = Encoding.UTF8.GetBytes(options.GetTypeInfo(typeof(RoutingSnapshot)).Properties.Single().Name);
        _state = new JsonReaderState(new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas, CommentHandling = options.ReadCommentHandling, MaxDepth = options.MaxDepth,
        });
    }

    /// <param name="chunkSize">Tests make it small, to end a chunk at every byte of a small answer.</param>
    public static async Task<IReadOnlyList<LoadBalancer>> ReadAsync(Stream answer, JsonSerializerOptions options, CancellationToken cancellation,
        int chunkSize = DefaultChunkSize)
    {
        var reader = new RoutingSnapshotReader(options);
        var (chunk, size) = (ArrayPool<byte>.Shared.Rent(chunkSize), chunkSize);
        var filled = 0;
        while (true)
        {
            filled += await answer.ReadAtLeastAsync(chunk.AsMemory(filled, size - filled), size - filled, throwOnEndOfStream: false, cancellation);
            var isLast = filled < size;
            var (done, loadBalancers) = reader.Scan(chunk.AsSpan(0, filled), isLast);
            // What is left is a load balancer not yet whole: it starts the next chunk (a larger one if it fills this one).
            var left = filled - done;
            var nextSize = Math.Max(chunkSize, 2 * left);
            var next = isLast ? null : ArrayPool<byte>.Shared.Rent(nextSize);
            if (next is not null) chunk.AsSpan(done, left).CopyTo(next);
            await reader.HandOverAsync(chunk, loadBalancers);
            if (next is null) break;
            (chunk, size, filled) = (next, nextSize, left);
        }
        return [.. (await Task.WhenAll(reader._batches)).SelectMany(batch => batch)];
    }

    /// <summary>
    /// Walks a chunk as far as the answer in it is whole: returns where the load balancers found end (the rest is
    /// scanned again with more bytes after it), and where each is in the chunk.
    /// </summary>
    private (int Done, List<Range> LoadBalancers) Scan(ReadOnlySpan<byte> chunk, bool isLast)
    {
        var json = new Utf8JsonReader(chunk, isLast, _state);
        var done = 0;
        List<Range> loadBalancers = [];
        while (Step(ref json, loadBalancers))
        {
            done = (int)json.BytesConsumed;
            _state = json.CurrentState;
        }
        return (done, loadBalancers);
    }

    /// <summary>
    /// Has the thread pool read the load balancers found in a chunk, which then goes back to the array pool; first waits
    /// until the batch <see cref="BatchesInFlight"/> before this one has been read.
    /// </summary>
    private async Task HandOverAsync(byte[] chunk, List<Range> loadBalancers)
    {
        if (loadBalancers.Count == 0)
        {
            ArrayPool<byte>.Shared.Return(chunk);
            return;
        }
        if (_batches.Count >= BatchesInFlight) await _batches[^BatchesInFlight];
        _batches.Add(Task.Run(() =>
        {
            try
            {
                return loadBalancers.Select(range => JsonSerializer.Deserialize(chunk.AsSpan(range), _loadBalancer)!).ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }));
    }

    /// <summary>
    /// Moves past the next token, or the next whole value in the answer's own object or its load balancers; false when
    /// the bytes end first. (The reader itself refuses a truncated answer, or anything after the snapshot.)
    /// </summary>
    private bool Step(ref Utf8JsonReader json, List<Range> loadBalancers)
    {
        if (!json.Read()) return false;
        switch (_position, json.TokenType)
        {
            case (Position.BeforeSnapshot, JsonTokenType.StartObject):
                _position = Position.InSnapshot;
                return true;
            // As the serializer reads it: no snapshot, no load balancers.
            case (Position.BeforeSnapshot, JsonTokenType.Null):
                _position = Position.AfterSnapshot;
                return true;
            case (Position.BeforeSnapshot, _):
                throw new JsonException($"A routing snapshot is a JSON object, not {json.TokenType}.");
            case (Position.InSnapshot, JsonTokenType.EndObject):
                _position = Position.AfterSnapshot;
                return true;
            case (Position.InSnapshot, _):
                var isLoadBalancers = json.ValueTextEquals(_loadBalancersName);
                if (!json.Read()) return false;
                if (!isLoadBalancers) return json.TrySkip();
                // As the serializer reads the answer: null is no load balancers, and a name given twice counts the last time.
                _batches = [];
                loadBalancers.Clear();
                if (json.TokenType == JsonTokenType.StartArray) _position = Position.InLoadBalancers;
                else if (json.TokenType != JsonTokenType.Null)
                {
                    throw new JsonException($"The routing snapshot's load balancers are a JSON array, not {json.TokenType}.");
                }
                return true;
            case (Position.InLoadBalancers, JsonTokenType.EndArray):
                _position = Position.InSnapshot;
                return true;
            default:
                var start = (int)json.TokenStartIndex;
                if (!json.TrySkip()) return false;
                loadBalancers.Add(start..(int)json.BytesConsumed);
                return true;
        }
    }
}

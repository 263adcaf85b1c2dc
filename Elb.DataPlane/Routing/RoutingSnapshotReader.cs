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
/// 1.2 s that way on a 2-core machine, 0.84 s this way (TableBuildBenchmarks).
/// </remarks>
public sealed class RoutingSnapshotReader
{
    /// <summary>
    /// Bytes gathered before they are scanned: a few load balancers of 50 members, a batch worth a thread, and less than
    /// the large object heap takes (1 MB chunks, allocated there, brought full collections: 1.2 s instead of 0.84 s).
    /// </summary>
    public const int DefaultChunkSize = 1 << 16;

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
        var chunk = new byte[chunkSize];
        int scanned = 0, filled = 0;
        while (true)
        {
            filled += await answer.ReadAtLeastAsync(chunk.AsMemory(filled), chunk.Length - filled, throwOnEndOfStream: false, cancellation);
            var isLast = filled < chunk.Length;
            scanned += reader.Scan(chunk.AsMemory(scanned, filled - scanned), isLast);
            if (isLast) break;
            // What is left is a load balancer not yet whole: it starts the next chunk (a larger one if it fills this one).
            // The chunk itself stays as it is while its load balancers are being read.
            var left = filled - scanned;
            var next = new byte[Math.Max(chunkSize, 2 * left)];
            chunk.AsSpan(scanned, left).CopyTo(next);
            (chunk, scanned, filled) = (next, 0, left);
        }
        return [.. (await Task.WhenAll(reader._batches)).SelectMany(batch => batch)];
    }

    /// <summary>
    /// Walks the answer as far as it is whole, handing each load balancer found to the thread pool; returns how many
    /// bytes it is done with (the rest is scanned again with more bytes after it).
    /// </summary>
    private int Scan(ReadOnlyMemory<byte> bytes, bool isLast)
    {
        var json = new Utf8JsonReader(bytes.Span, isLast, _state);
        var done = 0;
        List<Range> loadBalancers = [];
        while (Step(ref json, loadBalancers))
        {
            done = (int)json.BytesConsumed;
            _state = json.CurrentState;
        }
        if (loadBalancers.Count > 0)
        {
            _batches.Add(Task.Run(() => loadBalancers.Select(range => JsonSerializer.Deserialize(bytes.Span[range], _loadBalancer)!).ToArray()));
        }
        return done;
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

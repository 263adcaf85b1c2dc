using Elb.Commands;
using Elb.Commands.BackendServerGroups;
using Elb.DataPlane.Sessions;

namespace Elb.DataPlane.LoadBalancing;

/// <param name="Requests">How many requests to route.</param>
/// <param name="ClientIps">Request k comes from ClientIps[k mod n]; without them every request is a new, anonymous client.</param>
/// <param name="Cookies">Request k carries the application cookie Cookies[k mod n] (APP_COOKIE pools).</param>
public sealed record SimulationRequest(int? Requests, IReadOnlyList<string>? ClientIps, IReadOnlyList<string>? Cookies);

public sealed record SimulatedMember(Guid Id, string Address, int ProtocolPort, int Count, double Share);

public sealed record SimulationResult(LbAlgorithm Algorithm, int Requests, int Unrouted, IReadOnlyList<SimulatedMember> Members);

/// <summary>
/// What the algorithm would do with a stream of requests, on a detached runtime: no traffic and no effect on the live
/// counters or sticky tables. Connections are taken and never released, as if every request stayed open, so least
/// connections shows its weighted fill; a client keeps the affinity cookie the node issued it.
/// </summary>
public static class RoutingSimulation
{
    /// <summary>A run is CPU on the node's own threads, which also serve traffic: this bounds it to a few hundred ms.</summary>
    public const int MaxRequests = 1_000_000;

    /// <summary>Each client and cookie is kept for the run (and may enter the detached sticky table).</summary>
    public const int MaxClients = 10_000;

    /// <summary>Why the node will not run this simulation, or null when it will.</summary>
    public static RuleViolation? Refusal(SimulationRequest request) => request switch
    {
        { Requests: < 0 or > MaxRequests } => RuleViolation.Invalid("ELB.SimulationTooLarge",
            $"requests must be 0 to {MaxRequests:N0}, not {request.Requests:N0}."),
        { ClientIps.Count: > MaxClients } => RuleViolation.Invalid("ELB.SimulationTooLarge",
            $"At most {MaxClients:N0} client_ips, not {request.ClientIps.Count:N0}."),
        { Cookies.Count: > MaxClients } => RuleViolation.Invalid("ELB.SimulationTooLarge",
            $"At most {MaxClients:N0} cookies, not {request.Cookies.Count:N0}."),
        _ => null,
    };

    /// <summary>Runs a simulation <see cref="Refusal"/> accepts.</summary>
    public static SimulationResult Run(PoolRuntime runtime, SimulationRequest request)
    {
        var requests = request.Requests ?? 1000;
        var counts = new int[runtime.Route.Members.Length];
        var issuedCookies = new Dictionary<int, string>();
        var unrouted = 0;
        for (var k = 0; k < requests; k++)
        {
            var client = request.ClientIps is { Count: > 0 } ips ? k % ips.Count : k;
            var clientRequest = new ClientRequest(
                request.ClientIps is { Count: > 0 } ? request.ClientIps[client] : null,
                issuedCookies.GetValueOrDefault(client),
                request.Cookies is { Count: > 0 } cookies ? cookies[k % cookies.Count] : null);
            var chosen = runtime.Choose(clientRequest);
            if (chosen < 0)
            {
                unrouted++;
                continue;
            }
            counts[chosen]++;
            _ = runtime.Counters[chosen].Start();
            issuedCookies[client] = SessionAffinity.CookieValue(runtime.Route.Members[chosen].Id);
        }
        return new SimulationResult(runtime.Algorithm.Kind, requests, unrouted, [.. runtime.Route.Members.Select((m, i) =>
            new SimulatedMember(m.Id, m.Address, m.ProtocolPort, counts[i], requests == 0 ? 0 : (double)counts[i] / requests))]);
    }
}

using System.Security.Cryptography;
using Elb.Commands;
using Elb.Commands.Messaging;

namespace Elb.Gateway.Subscribers;

/// <summary>A project's credentials for <c>elb.events</c>, as created (the only time the password is told).</summary>
public sealed record SubscriberCredentials(string User, string Password, string Vhost, string Exchange, string BindingKeyPrefix,
    string QueuePrefix);

/// <summary>A project's subscriber user as listed: never its password.</summary>
public sealed record SubscriberResource(string User, string Vhost, string Exchange, string BindingKeyPrefix, string QueuePrefix);

/// <summary>
/// What a project's subscriber user is allowed, in RabbitMQ's own terms, so that RabbitMQ (not Elb) refuses the rest.
/// User <c>elb-subscriber.&lt;project&gt;.&lt;random&gt;</c>; queues it may declare, bind and consume:
/// <c>elb.subscriber.&lt;project&gt;.*</c>; the only exchange it may read from is <c>elb.events</c>, and there its
/// topic permission lets it bind only keys starting <c>&lt;project&gt;.</c>. It may publish nowhere that reaches
/// anyone else: its write permission covers only names under its own queue prefix (a queue needs write to be bound).
/// </summary>
public static class SubscriberAccount
{
    /// <summary>At most this many subscriber users per project.</summary>
    public const int MaxPerProject = 20;

    /// <summary>Connections one subscriber user may hold open at once.</summary>
    public const int MaxConnections = 10;

    public static string UserPrefix(string projectId) => $"elb-subscriber.{projectId}.";

    public static string QueuePrefix(string projectId) => $"elb.subscriber.{projectId}.";

    public static string BindingKeyPrefix(string projectId) => $"{projectId}.";

    public static string NewUser(string projectId) => UserPrefix(projectId) + RandomNumberGenerator.GetHexString(12, lowercase: true);

    /// <summary>192 random bits, URL-safe base64: fits an amqp:// URI unescaped.</summary>
    public static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');

    public static bool Owns(string projectId, string user) =>
        user.StartsWith(UserPrefix(projectId), StringComparison.Ordinal) && user.Length > UserPrefix(projectId).Length;

    /// <summary>Configure (declare, delete) and write (bind, publish): its own queues only.</summary>
    public static string OwnNames(string projectId) => $@"^{Escape(QueuePrefix(projectId))}.+$";

    /// <summary>Read (consume its queues, bind from <c>elb.events</c>).</summary>
    public static string Readable(string projectId) => $@"^({Escape(ElbExchanges.PublicEvents)}|{Escape(QueuePrefix(projectId))}.+)$";

    /// <summary>Topic permission on <c>elb.events</c>: binding keys of its own project only.</summary>
    public static string BindingKeys(string projectId) => $@"^{Escape(BindingKeyPrefix(projectId))}";

    /// <summary>No routing key at all (it has no write permission on <c>elb.events</c> anyway).</summary>
    public const string NoRoutingKeys = "^$";

    public static SubscriberResource Resource(string projectId, string user, string vhost) =>
        new(user, vhost, ElbExchanges.PublicEvents, BindingKeyPrefix(projectId), QueuePrefix(projectId));

    /// <summary>A regex matching exactly <paramref name="text"/> (project ids have no metacharacters but '-', literal here).</summary>
    private static string Escape(string text) => text.Replace(".", @"\.");
}

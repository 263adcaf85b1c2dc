using Alba;
using System.Security.Cryptography;
using Elb.Signing;
using Microsoft.AspNetCore.Hosting;

namespace Elb.IntegrationTests;

/// <summary>
/// The keys and first identities of a test run, made fresh for each run as an operator would configure them: the
/// gateway bootstraps the system admin and the node user from them, and every test authenticates through the real
/// handlers with them. Nothing turns authentication off.
/// </summary>
public static class TestIdentity
{
    public static readonly string EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string TokenSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static readonly Credentials SystemAdmin = NewKeyPair("test-system-admin");
    public static readonly Credentials Node = NewKeyPair("test-node");

    public sealed record Credentials(string UserName, string AccessKey, string SecretKey);

    /// <summary>A client of <paramref name="gateway"/> that signs every request with the key pair, as the official SDKs do.</summary>
    public static HttpClient SignedClient(IAlbaHost gateway, string accessKey, string secretKey) =>
        new(new SdkSigningHandler(accessKey, secretKey, TimeProvider.System) { InnerHandler = gateway.Server.CreateHandler() })
        {
            BaseAddress = gateway.Server.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    private static Credentials NewKeyPair(string name) =>
        new(name, RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20), Convert.ToHexString(RandomNumberGenerator.GetBytes(20)));

    /// <summary>
    /// The gateway's identity settings: both keys, and the system admin and node user it makes sure exist; the local
    /// egress profile (members on loopback), as on any single machine; and rate limits no test reaches by accident.
    /// </summary>
    public static IWebHostBuilder WithGatewaySettings(this IWebHostBuilder builder)
    {
        builder.UseSetting("Elb:Identity:EncryptionKey", EncryptionKey).UseSetting("Elb:Identity:TokenSigningKey", TokenSigningKey)
            .UseSetting("Elb:Egress:Profile", "local");
        // Tests share one gateway and call it far faster than a tenant would; the limits have tests of their own.
        builder.UseSetting("Elb:RateLimits:RequestsPerSecond", "100000").UseSetting("Elb:RateLimits:Burst", "100000")
            .UseSetting("Elb:RateLimits:ConcurrentRequests", "1000");
        foreach (var (user, index) in new[] { (SystemAdmin, "elb_system_admin"), (Node, "elb_dataplane") }.Select((u, i) => (u, i)))
        {
            var prefix = $"Elb:Bootstrap:Users:{index}:";
            builder.UseSetting(prefix + "Name", user.Item1.UserName).UseSetting(prefix + "SystemRole", user.Item2)
                .UseSetting(prefix + "AccessKey", user.Item1.AccessKey).UseSetting(prefix + "SecretKey", user.Item1.SecretKey);
        }
        return builder;
    }

    /// <summary>A node's identity settings, as environment variables for a node process or settings for a test host.</summary>
    public static IReadOnlyDictionary<string, string> NodeSettings => new Dictionary<string, string>
    {
        ["DataPlane:AccessKey"] = Node.AccessKey,
        ["DataPlane:SecretKey"] = Node.SecretKey,
        ["Elb:Identity:TokenSigningKey"] = TokenSigningKey,
        // one machine: members on loopback, except Elb's own ports
        ["Elb:Egress:Profile"] = "local",
    };
}

using System.Text.Json;

namespace Elb.IntegrationTests;

/// <summary>A project's subscriber credentials, created through the gateway's API as a project admin would.</summary>
public sealed class SubscriberUser(ElbApi api, JsonElement subscriber, Uri uri)
{
    public static async Task<SubscriberUser> CreateAsync(ElbApi api, ElbServices services)
    {
        var subscriber = (await api.PostAsync("elb/subscribers", "{}")).GetProperty("subscriber");
        var uri = new UriBuilder(services.RabbitMq)
        {
            UserName = subscriber.GetProperty("user").GetString(),
            Password = subscriber.GetProperty("password").GetString(),
        }.Uri;
        return new SubscriberUser(api, subscriber, uri);
    }

    public string User => subscriber.GetProperty("user").GetString()!;

    /// <summary>The answer of the create call, password included.</summary>
    public JsonElement Answer => subscriber;

    /// <summary>amqp://user:password@host:port/vhost</summary>
    public Uri Uri => uri;

    public string QueuePrefix => subscriber.GetProperty("queue_prefix").GetString()!;

    /// <summary>A fresh queue name under the subscriber's prefix.</summary>
    public string Queue() => $"{QueuePrefix}{Guid.NewGuid():N}";

    public Task DeleteAsync() => api.DeleteAsync($"elb/subscribers/{User}");
}

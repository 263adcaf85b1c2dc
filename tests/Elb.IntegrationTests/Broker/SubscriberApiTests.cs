using System.Text.Json;
using Elb.Commands.Messaging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Elb.IntegrationTests;

/// <summary><c>/v3/{project_id}/elb/subscribers</c>: RabbitMQ users a project's own systems follow its events with.</summary>
[Collection(GatewayCollection.Name)]
public class SubscriberApiTests(GatewayFixture fixture)
{
    private readonly ElbApi _api = new(fixture.Gateway);

    [Fact]
    public async Task Created_credentials_are_answered_once_listed_without_password_and_work_until_deleted()
    {
        var subscriber = await SubscriberUser.CreateAsync(_api, fixture.Services);
        var answer = subscriber.Answer;
        Assert.StartsWith($"elb-subscriber.{_api.Project}.", subscriber.User);
        Assert.True(answer.GetProperty("password").GetString()!.Length >= 32);
        var vhost = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(fixture.Services.RabbitMq) }.VirtualHost;
        Assert.Equal((vhost, "elb.events", $"{_api.Project}.", $"elb.subscriber.{_api.Project}."),
            (answer.GetProperty("vhost").GetString(), answer.GetProperty("exchange").GetString(),
                answer.GetProperty("binding_key_prefix").GetString(), answer.GetProperty("queue_prefix").GetString()));

        var other = new ElbApi(fixture.Gateway);
        var othersSubscriber = await SubscriberUser.CreateAsync(other, fixture.Services);
        var listed = (await _api.GetAsync("elb/subscribers")).GetProperty("subscribers");
        var entry = Assert.Single(listed.EnumerateArray());
        Assert.Equal(subscriber.User, entry.GetProperty("user").GetString());
        Assert.False(entry.TryGetProperty("password", out _));

        var queue = subscriber.Queue();
        await using var connection = await new ConnectionFactory { Uri = subscriber.Uri }.CreateConnectionAsync();
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.QueueDeclareAsync(queue, durable: false, exclusive: true, autoDelete: true);
            await channel.QueueBindAsync(queue, ElbExchanges.PublicEvents, $"{_api.Project}.#");
        }

        // another project's user is not this project's to delete
        await _api.DeleteAsync($"elb/subscribers/{othersSubscriber.User}", 404);
        await _api.DeleteAsync($"elb/subscribers/elb-broker-admin", 404);
        await subscriber.DeleteAsync();

        Assert.Equal(0, (await _api.GetAsync("elb/subscribers")).GetProperty("subscribers").GetArrayLength());
        await Eventually.Until(() => Task.FromResult(!connection.IsOpen), "the deleted user's connection is closed",
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAsync<BrokerUnreachableException>(() =>
            new ConnectionFactory { Uri = subscriber.Uri }.CreateConnectionAsync());
        await _api.DeleteAsync($"elb/subscribers/{subscriber.User}", 404);
        await othersSubscriber.DeleteAsync();
    }

    [Theory]
    [InlineData("a.b", "ELB.InvalidProjectId")]
    [InlineData("-leading-dash", "ELB.InvalidProjectId")]
    [InlineData("has%20space", "ELB.InvalidProjectId")]
    [InlineData("x%0A", "ELB.InvalidCharacter")]
    public async Task A_project_id_that_cannot_be_a_single_routing_key_word_is_refused(string projectId, string errorCode)
    {
        foreach (var (method, path, status) in new[]
                 {
                     (HttpMethod.Post, $"/v3/{projectId}/elb/subscribers", 400),
                     (HttpMethod.Get, $"/v3/{projectId}/elb/subscribers", 400),
                     (HttpMethod.Delete, $"/v3/{projectId}/elb/subscribers/elb-subscriber.{projectId}.abc", 400),
                 })
        {
            var problem = await _api.SendAsync(method, path, method == HttpMethod.Post ? "{}" : null, status);
            Assert.Equal(errorCode, problem.GetProperty("error_code").GetString());
        }
    }
}

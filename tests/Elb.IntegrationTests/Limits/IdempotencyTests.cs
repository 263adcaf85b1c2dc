using System.Net;
using System.Text;
using System.Text.Json;

namespace Elb.IntegrationTests.Limits;

/// <summary>A retried POST with the same Idempotency-Key is answered as the first was, and appends nothing.</summary>
[Collection(GatewayCollection.Name)]
public sealed class IdempotencyTests(GatewayFixture fixture)
{
    private readonly ElbApi _api = new(fixture.Gateway);

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string header,
        string key, string name)
    {
        using var client = TestIdentity.SignedClient(fixture.Gateway, _api.User!.AccessKey, _api.User.SecretKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/{_api.Project}/elb/loadbalancers")
        {
            Content = new StringContent($$$"""{"loadbalancer": {"name": "{{{name}}}", "vpc_id": "vpc-1", "vip_subnet_cidr_id": "subnet-1", "availability_zone_list": ["az-1"]}}""",
                Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(header, key);
        var response = await client.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(), response);
    }

    [Theory]
    [InlineData("Idempotency-Key")]
    [InlineData("X-Client-Token")]
    public async Task A_retry_with_the_same_key_answers_the_first_result_and_appends_nothing(string header)
    {
        await _api.RegisterSubnetAsync();
        var key = Guid.NewGuid().ToString();
        var first = await PostAsync(header, key, "once");
        var events = await fixture.CountEventsAsync();

        var retry = await PostAsync(header, key, "once");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.Status, retry.Status));
        Assert.Equal(first.Body.GetRawText(), retry.Body.GetRawText());
        Assert.Equal("true", retry.Response.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(events, await fixture.CountEventsAsync());
        Assert.Single((await _api.GetAsync("elb/loadbalancers")).GetProperty("loadbalancers").EnumerateArray());
    }

    [Fact]
    public async Task A_key_sent_with_another_body_is_refused_and_a_new_key_creates_again()
    {
        await _api.RegisterSubnetAsync();
        var key = Guid.NewGuid().ToString();
        await PostAsync("Idempotency-Key", key, "first");
        var events = await fixture.CountEventsAsync();

        var reused = await PostAsync("Idempotency-Key", key, "second");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "ELB.IdempotencyKeyReused"),
            (reused.Status, reused.Body.GetProperty("error_code").GetString()));
        Assert.Equal(events, await fixture.CountEventsAsync());
        var invalid = await PostAsync("Idempotency-Key", "has spaces in it", "second");
        Assert.Equal("ELB.InvalidIdempotencyKey", invalid.Body.GetProperty("error_code").GetString());

        Assert.Equal(HttpStatusCode.Created, (await PostAsync("Idempotency-Key", Guid.NewGuid().ToString(), "second")).Status);
    }

    [Fact]
    public void An_answer_counts_for_a_day_and_a_first_request_that_never_finished_for_a_minute()
    {
        var at = DateTimeOffset.Parse("2026-12-02T10:00:00Z");
        var done = new Elb.Gateway.Limits.IdempotentAnswer("k", "h", 201, "application/json", null, "{}", at);
        var pending = done with { Status = 0 };

        Assert.Same(done, Elb.Gateway.Limits.IdempotentRetries.Fresh(done, at.AddHours(23)));
        Assert.Null(Elb.Gateway.Limits.IdempotentRetries.Fresh(done, at.AddHours(25)));
        Assert.Same(pending, Elb.Gateway.Limits.IdempotentRetries.Fresh(pending, at.AddSeconds(30)));
        Assert.Null(Elb.Gateway.Limits.IdempotentRetries.Fresh(pending, at.AddMinutes(2)));
    }
}

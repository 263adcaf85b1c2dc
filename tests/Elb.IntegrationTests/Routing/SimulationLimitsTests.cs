using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Elb.IntegrationTests.Routing;

/// <summary>A node's <c>/simulate</c> refuses runs past its limits with a problem naming why.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SimulationLimitsTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Too_many_requests_or_clients_are_a_bad_request_with_an_error_code()
    {
        await using var node = await fixture.StartDataPlaneAsync($"sim-{Guid.NewGuid():N}"[..20]);
        using var admin = node.Admin();

        foreach (var body in new[] { """{"requests": 2000000}""", $$"""{"client_ips": [{{string.Join(",", Enumerable.Repeat("\"10.0.0.1\"", 10_001))}}]}""" })
        {
            using var response = await admin.PostAsync($"/routing/{Guid.NewGuid()}/simulate", new StringContent(body, Encoding.UTF8, "application/json"));
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(400 == (int)response.StatusCode, problem.ToString());
            Assert.Equal("ELB.SimulationTooLarge", problem.GetProperty("error_code").GetString());
        }
    }
}

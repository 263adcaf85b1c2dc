using System.Runtime.CompilerServices;

namespace Elb.Conformance.Tests;

/// <summary>
/// This suite runs beside the integration tests (dotnet test runs projects at once), so its gateway gets a schema and
/// a RabbitMQ virtual host of its own (<c>./test.sh</c> makes <c>elb-tests-conformance</c>): two gateways on one
/// virtual host would take each other's messages.
/// </summary>
internal static class ConformanceSuite
{
    [ModuleInitializer]
    internal static void UseStoreAndBrokerOfItsOwn()
    {
        var schema = Environment.GetEnvironmentVariable("ELB_TEST_SCHEMA") is { Length: > 0 } given ? given : "elb_tests";
        Environment.SetEnvironmentVariable("ELB_TEST_SCHEMA", schema + "_conformance");
        foreach (var variable in new[] { "ELB_RABBITMQ", "ELB_RABBITMQ_DATAPLANE" })
        {
            if (Environment.GetEnvironmentVariable(variable) is not { Length: > 0 } uri) continue;
            var broker = new UriBuilder(uri);
            var vhost = Uri.UnescapeDataString(broker.Path.TrimStart('/'));
            if (vhost.Length == 0) continue; // the default "/": run the two suites one at a time there
            broker.Path = "/" + Uri.EscapeDataString(vhost + "-conformance");
            Environment.SetEnvironmentVariable(variable, broker.Uri.ToString());
        }
    }
}

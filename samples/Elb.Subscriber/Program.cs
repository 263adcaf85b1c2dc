using Elb.Subscriber;

// Follows Elb's events, printing one line per event.
// dotnet run --project samples/Elb.Subscriber -- <project> [binding-key] [queue]
//   binding-key: default "<project>.#"; e.g. "<project>.<loadbalancer_id>.#" or "<project>.*.elb.member.added.v1"
//   queue: default "elb.subscriber.<project>.default"; it must start with "elb.subscriber.<project>."
// Environment: ELB_SUBSCRIBER_RABBITMQ, the project's subscriber credentials as amqp://<user>:<password>@<host>:5672/
// (POST /v3/<project>/elb/subscribers answers user and password once); ELB_GATEWAY (default http://127.0.0.1:5080/);
// ELB_ACCESS_KEY and ELB_SECRET_KEY: an access key of a user with a role in the project (elb_viewer), for the catch-up feed.
var rabbitMq = Environment.GetEnvironmentVariable("ELB_SUBSCRIBER_RABBITMQ");
if (args.Length == 0 || string.IsNullOrEmpty(rabbitMq))
{
    Console.Error.WriteLine("usage: ELB_SUBSCRIBER_RABBITMQ=amqp://<user>:<password>@127.0.0.1:5672/ Elb.Subscriber <project> [binding-key] [queue]");
    Console.Error.WriteLine("  create the credentials with: curl -s -X POST http://127.0.0.1:5080/v3/<project>/elb/subscribers -H \"X-Auth-Token: $TOKEN\"");
    return 2;
}
var project = args[0];
var bindingKey = args.Length > 1 ? args[1] : $"{project}.#";
var queue = args.Length > 2 ? args[2] : $"elb.subscriber.{project}.default";
var options = new SubscriberOptions(
    new Uri(rabbitMq),
    new Uri(Environment.GetEnvironmentVariable("ELB_GATEWAY") ?? "http://127.0.0.1:5080/"),
    project, queue, bindingKey, $"{queue}.state.json",
    Environment.GetEnvironmentVariable("ELB_ACCESS_KEY") ?? "", Environment.GetEnvironmentVariable("ELB_SECRET_KEY") ?? "");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
await using var subscriber = new EventSubscriber(options, e =>
{
    Console.WriteLine($"{e.GetProperty("sequence").GetInt64(),8} {e.GetProperty("time").GetString()} {e.GetProperty("type").GetString(),-36} {e.GetProperty("subject").GetString()}");
    return Task.CompletedTask;
});
await subscriber.StartAsync(stop.Token);
Console.Error.WriteLine($"following {bindingKey} on queue {queue}; Ctrl-C stops");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
return 0;

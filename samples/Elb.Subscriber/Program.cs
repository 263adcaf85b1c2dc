using Elb.Subscriber;

// Follows Elb's events, printing one line per event.
// dotnet run --project samples/Elb.Subscriber -- <project> [binding-key] [queue]
//   binding-key: default "<project>.#"; e.g. "<project>.<loadbalancer_id>.#" or "<project>.*.elb.member.added.v1"
// Environment: ELB_RABBITMQ (default amqp://guest:guest@127.0.0.1:5672/), ELB_GATEWAY (default http://127.0.0.1:5080/),
//   ELB_ACCESS_KEY and ELB_SECRET_KEY: an access key of a user with a role in the project, for the catch-up feed.
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: Elb.Subscriber <project> [binding-key] [queue]");
    return 2;
}
var project = args[0];
var bindingKey = args.Length > 1 ? args[1] : $"{project}.#";
var queue = args.Length > 2 ? args[2] : $"subscriber.{project}";
var options = new SubscriberOptions(
    new Uri(Environment.GetEnvironmentVariable("ELB_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/"),
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

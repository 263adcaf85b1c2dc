using Elb.Commands.BackendServers;
using Elb.Commands.Identity;
using Elb.Commands.LoadBalancers;
using Elb.Commands.Messaging;
using JasperFx.Events;
using static Elb.Tests.Scenario;

namespace Elb.Commands.Tests.Messaging;

public class NodeFeedTests
{
    [Fact]
    public void Events_appended_to_a_load_balancer_fetched_for_writing_take_the_versions_after_the_fetched_one_in_one_message()
    {
        var stream = StreamAction.Append(LoadBalancerId, [new Event<BackendServerAdded>(MemberAdded("10.0.1.7")),
            new Event<BackendServerAdded>(MemberAdded("10.0.1.8"))]);
        stream.ExpectedVersionOnServer = 7;

        var message = Assert.Single(NodeFeed.Changes([stream], Now));
        var changes = message.Changes;

        Assert.Equal([8L, 9L], changes.Select(c => c.Version));
        Assert.Equal([stream.Events[0].Id, stream.Events[1].Id], changes.Select(c => c.EventId));
        Assert.All(changes, c => Assert.Equal((LoadBalancerId, nameof(BackendServerAdded), Now), (c.LoadBalancerId, c.Type, c.OccurredAt)));
        Assert.Equal(["10.0.1.7", "10.0.1.8"], changes.Select(c => ((BackendServerAdded)c.Event).Address));
        Assert.Equal((LoadBalancerId, $"{LoadBalancerId}.{nameof(BackendServerAdded)}"), (message.LoadBalancerId, message.RoutingKey));
    }

    [Fact]
    public void A_command_changing_two_load_balancers_sends_a_message_for_each()
    {
        var other = Guid.NewGuid();
        var first = StreamAction.Append(LoadBalancerId, [new Event<BackendServerAdded>(MemberAdded("10.0.1.7"))]);
        var second = StreamAction.Append(other, [new Event<BackendServerAdded>(MemberAdded("10.0.1.7") with { LoadBalancerId = other }),
            new Event<BackendServerRemoved>(new BackendServerRemoved(Guid.NewGuid(), PoolId, Elb.Tests.Scenario.Project, other, Now))]);
        (first.ExpectedVersionOnServer, second.ExpectedVersionOnServer) = (3, 5);

        var messages = NodeFeed.Changes([first, second], Now).ToList();

        Assert.Equal([(LoadBalancerId, 1), (other, 2)], messages.Select(m => (m.LoadBalancerId, m.Changes.Count)));
        Assert.Equal([4L], messages[0].Changes.Select(c => c.Version));
        Assert.Equal([6L, 7L], messages[1].Changes.Select(c => c.Version));
        Assert.Equal($"{other}.Changes", messages[1].RoutingKey);
    }

    [Fact]
    public void A_new_load_balancer_starts_its_stream_at_version_one()
    {
        var stream = StreamAction.Start(LoadBalancerId, new Event<LoadBalancerCreated>(Created()));

        Assert.Equal(1, Assert.Single(Assert.Single(NodeFeed.Changes([stream], Now)).Changes).Version);
    }

    [Fact]
    public void Events_of_other_streams_are_not_the_nodes_business()
    {
        var stream = StreamAction.Append(Guid.NewGuid(), [new Event<UserCreated>(new UserCreated(Guid.NewGuid(), "u", null, null, Now))]);

        Assert.Empty(NodeFeed.Changes([stream], Now));
    }

    [Fact]
    public void A_load_balancer_appended_to_without_its_version_fails_loudly_rather_than_guessing_one()
    {
        var stream = StreamAction.Append(LoadBalancerId, [new Event<BackendServerAdded>(MemberAdded("10.0.1.7"))]);

        Assert.Throws<InvalidOperationException>(() => NodeFeed.Changes([stream], Now).ToList());
    }
}

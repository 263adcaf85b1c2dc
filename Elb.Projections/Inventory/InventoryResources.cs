using Elb.Commands.Inventory;

namespace Elb.Projections.Inventory;

public sealed record SubnetResource(string Id, string VpcId, string Cidr, string AvailabilityZone,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static SubnetResource From(Subnet s) => new(s.Id, s.VpcId, s.Cidr, s.AvailabilityZone, s.CreatedAt, s.UpdatedAt);
}

public sealed record ServerResource(string Id, string Name, string SubnetId, string Address, string Os,
    string AvailabilityZone, ServerStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ServerResource From(Server s) =>
        new(s.Id, s.Name, s.SubnetId, s.Address, s.Os, s.AvailabilityZone, s.Status, s.CreatedAt, s.UpdatedAt);
}

using Elb.DataPlane.SlowStart;
using static Elb.DataPlane.Tests.Pools;

namespace Elb.DataPlane.Tests.SlowStart;

public class SlowStartRampTests
{
    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(25, 0.25)]
    [InlineData(50, 0.5)]
    [InlineData(100, 1.0)]
    public void Slow_start_ramps_linearly_with_a_floor_of_10_percent(int percentOfWindow, double factor)
    {
        var member = Member(10, slowStartFrom: T0, slowStartSeconds: 200);

        Assert.Equal(factor, SlowStartRamp.Factor(member, T0.AddSeconds(2 * percentOfWindow)), 6);
        Assert.Equal(1.0, SlowStartRamp.Factor(member, T0.AddSeconds(5000)));
    }
}

using Elb.DataPlane.Sessions;

namespace Elb.DataPlane.Tests.Sessions;

public class LruTableTests
{
    [Fact]
    public void A_full_table_drops_the_least_recently_used_entry()
    {
        var table = new LruTable<string, int>(2);
        Assert.Null(table.Set("a", 1));
        Assert.Null(table.Set("b", 2));
        Assert.True(table.TryGet("a", out _));

        Assert.Equal(("b", 2), table.Set("c", 3));
        Assert.Equal(2, table.Count);
        Assert.False(table.TryGet("b", out _));
    }

    [Fact]
    public void Replacing_an_entry_drops_nothing()
    {
        var table = new LruTable<string, int>(2);
        table.Set("a", 1);
        table.Set("b", 2);

        Assert.Null(table.Set("a", 10));
        Assert.True(table.TryGet("a", out var value));
        Assert.Equal(10, value);
    }

    [Fact]
    public void An_entry_is_removed_only_while_it_holds_the_value_named()
    {
        var table = new LruTable<string, int>(2);
        table.Set("a", 1);
        table.Set("a", 2);

        Assert.False(table.Remove("a", 1));
        Assert.True(table.Remove("a", 2));
        Assert.Equal(0, table.Count);
    }

    [Fact]
    public void A_sweep_reads_from_the_oldest_and_stops_at_the_first_entry_to_keep()
    {
        var table = new LruTable<string, int>(10);
        foreach (var (key, age) in new[] { ("old", 9), ("young", 1), ("older", 8) }) table.Set(key, age);

        // "older" was used last: the sweep stops at "young" before it, as entries are kept in order of use.
        Assert.Equal([9], table.RemoveOldestWhile(age => age > 5));
        Assert.Equal(2, table.Count);
    }
}

using Elb.Commands.Messaging;

namespace Elb.Commands.Tests.Messaging;

public class PageConfirmsTests
{
    [Fact]
    public void A_page_whose_first_publishes_are_confirmed_while_later_ones_are_still_written_is_not_done_before_it_is_sealed()
    {
        var page = new PageConfirms();
        page.Expect(1);
        page.Confirm(1, multiple: false);
        page.Expect(2);
        Assert.False(page.AllConfirmed.IsCompleted);

        page.Seal();
        Assert.False(page.AllConfirmed.IsCompleted);
        page.Confirm(2, multiple: false);
        Assert.True(page.AllConfirmed.IsCompletedSuccessfully);
    }

    [Fact]
    public void One_multiple_confirm_settles_every_tag_up_to_it_and_none_after()
    {
        var page = new PageConfirms();
        foreach (var tag in new ulong[] { 5, 6, 7, 8 }) page.Expect(tag);
        page.Seal();

        page.Confirm(7, multiple: true);
        Assert.False(page.AllConfirmed.IsCompleted);
        page.Confirm(8, multiple: false);
        Assert.True(page.AllConfirmed.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_page_with_everything_confirmed_before_the_seal_is_done_at_the_seal()
    {
        var page = new PageConfirms();
        page.Expect(1);
        page.Confirm(1, multiple: true);
        Assert.False(page.AllConfirmed.IsCompleted);
        page.Seal();
        Assert.True(page.AllConfirmed.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_nack_fails_the_page_even_when_the_rest_is_confirmed()
    {
        var page = new PageConfirms();
        page.Expect(1);
        page.Expect(2);
        page.Seal();
        page.Fail("RabbitMQ refused (nacked) an event");
        page.Confirm(2, multiple: true);

        var refused = await Assert.ThrowsAsync<IOException>(() => page.AllConfirmed);
        Assert.Contains("nacked", refused.Message);
    }
}

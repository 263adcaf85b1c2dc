

namespace Elb.Commands.Tests;

/// <summary>A project id becomes the first word of routing keys and part of RabbitMQ user and queue names.</summary>
public class ProjectIdTests
{
    [Theory]
    [InlineData("my-project")]
    [InlineData("p-0123456789abcdef0123456789abcdef")]
    [InlineData("A_1")]
    [InlineData("0")]
    public void Letters_digits_dashes_and_underscores_are_valid(string projectId) => Assert.True(ProjectIds.IsValid(projectId));

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("a#")]
    [InlineData("a*")]
    [InlineData("-a")]
    [InlineData("_a")]
    [InlineData("a b")]
    [InlineData("a\n")]
    [InlineData("é")]
    [InlineData(null)]
    public void Anything_that_is_not_one_plain_routing_key_word_is_invalid(string? projectId) =>
        Assert.False(ProjectIds.IsValid(projectId));

    [Fact]
    public void At_most_64_characters() =>
        Assert.Equal((true, false), (ProjectIds.IsValid(new string('a', 64)), ProjectIds.IsValid(new string('a', 65))));
}

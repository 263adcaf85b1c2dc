namespace Elb.Gateway.OpenApi;

public enum ElbAnswerShape
{
    /// <summary><c>{"loadbalancer": {...}, "warnings": [...]}</c></summary>
    One,

    /// <summary><c>{"members": [...]}</c>: a batch's answer.</summary>
    Many,

    /// <summary><c>{"loadbalancers": [...], "page_info": {...}}</c>: a list, paged by <c>limit</c> and <c>marker</c>.</summary>
    Page,

    /// <summary>The body is the resource itself, unwrapped: Elb's own answers that are no ELB v3 resource.</summary>
    Bare,

    /// <summary>The body is a JSON array of the resource, unwrapped.</summary>
    BareList,
}

/// <summary>
/// What a route answers when it succeeds, in ELB v3's shape: the resource in an object named after it. Endpoints answer
/// an <see cref="IResult"/> built by <see cref="ElbResults"/>, whose type says nothing of the body; this says it for
/// the OpenAPI document (<see cref="ElbOperations"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ElbAnswerAttribute(string wrapper, Type resource) : Attribute
{
    /// <summary>An answer that is <paramref name="resource"/> itself (<see cref="ElbAnswerShape.Bare"/>) or a list of it.</summary>
    public ElbAnswerAttribute(Type resource, ElbAnswerShape shape = ElbAnswerShape.Bare) : this("", resource) => Shape = shape;

    public string Wrapper => wrapper;

    public Type Resource => resource;

    public int Status { get; set; } = StatusCodes.Status200OK;

    public ElbAnswerShape Shape { get; set; } = ElbAnswerShape.One;

    /// <summary>What the route answers instead with <c>as_of</c> or <c>version</c>: the resource as it was, with what was in it.</summary>
    public Type? AsOf { get; set; }
}

namespace Elb.Signing;

/// <summary>Parsed <c>SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b;c, Signature=hex</c>.</summary>
public sealed record SdkAuthorization(string AccessKey, IReadOnlyList<string> SignedHeaders, string Signature);

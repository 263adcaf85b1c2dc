using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Elb.Gateway.Limits;

/// <summary>
/// Refuses a request whose shape no endpoint could accept, before it costs a signature check, a lookup or a lock:
/// a body over <see cref="MaxBodyBytes"/>, a body that is not JSON, not an object, too deep, with a duplicate key, a
/// control character, a string or array too long; a query or path with a control character or an overlong value.
/// Hand-written because no library checks JSON shape before binding; the checks are the limits ELB v3 documents.
/// </summary>
public sealed class RequestShape(RequestDelegate next)
{
    /// <summary>The largest body the API takes: a 200-member batch is about 40 KB, a certificate and its key 130 KB.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public const int MaxDepth = 16;

    /// <summary>ELB v3's limit on names and descriptions.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Any other string (a PEM certificate is the longest Elb takes).</summary>
    public const int MaxStringLength = 64 * 1024;

    /// <summary>Any array (a batch of members is at most 200; its own rule says so more precisely).</summary>
    public const int MaxArrayLength = 1000;

    public const int MaxQueryValueLength = 1024;

    private static readonly HashSet<string> NameFields = new(["name", "description"], StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if ((Refusal(request) ?? await BodyRefusalAsync(context)) is { } refusal)
        {
            await ElbResults.WriteProblemAsync(context, refusal.Status, refusal.ErrorCode, refusal.Message);
            return;
        }
        await next(context);
    }

    private static Elb.Commands.RuleViolation? Refusal(HttpRequest request)
    {
        if (HasControlCharacter(request.Path.Value))
        {
            return Invalid("ELB.InvalidCharacter", "The path contains a control character.");
        }
        foreach (var (key, values) in request.Query)
        {
            foreach (var value in values)
            {
                if (HasControlCharacter(key) || HasControlCharacter(value))
                {
                    return Invalid("ELB.InvalidCharacter", $"The query parameter '{Printable(key)}' contains a control character.");
                }
                if (key.Length + (value?.Length ?? 0) > MaxQueryValueLength)
                {
                    return Invalid("ELB.FieldTooLong", $"The query parameter '{Printable(key)}' is longer than {MaxQueryValueLength} characters.");
                }
            }
        }
        return null;
    }

    private static async Task<Elb.Commands.RuleViolation?> BodyRefusalAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength is > MaxBodyBytes)
        {
            return new("ELB.RequestTooLarge", $"The body is {request.ContentLength} bytes; the API takes at most {MaxBodyBytes}.", 413);
        }
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        if (!hasBody) return null;
        if (request.ContentType is not { } contentType
            || !contentType.Split(';')[0].Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return new("ELB.UnsupportedMediaType",
                $"The body must be JSON with 'Content-Type: application/json', not {(request.ContentType is null ? "without a Content-Type" : $"'{Printable(request.ContentType)}'")}.", 415);
        }
        // Kestrel stops a chunked body at the same size; a buffered body is read again by the signature check and the endpoint.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth },
                context.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? Inspect(document.RootElement, "")
                : Invalid("ELB.MalformedRequest",
                    $"The body must be a JSON object such as {{\"loadbalancer\": {{...}}}}, not {Describe(document.RootElement.ValueKind)}.");
        }
        // invalid UTF-8 inside a string surfaces when the string is read
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Invalid("ELB.MalformedRequest", $"The body is not valid JSON (or is nested deeper than {MaxDepth}): {e.Message}");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new("ELB.RequestTooLarge", $"The body is larger than the {MaxBodyBytes} bytes the API takes.", 413);
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static Elb.Commands.RuleViolation? Inspect(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (HasControlCharacter(property.Name) || property.Name.Length > MaxNameLength)
                    {
                        return Invalid("ELB.MalformedRequest", $"A field name under '{Printable(path)}' is not a field of this API.");
                    }
                    if (!seen.Add(property.Name)) return Invalid("ELB.DuplicateField", $"The field '{at}' is given twice.");
                    if (property.Value.ValueKind == JsonValueKind.String && NameFields.Contains(property.Name)
                        && property.Value.GetString()!.Length > MaxNameLength)
                    {
                        return Invalid("ELB.FieldTooLong", $"'{at}' is at most {MaxNameLength} characters.");
                    }
                    if (Inspect(property.Value, at) is { } refused) return refused;
                }
                return null;
            case JsonValueKind.Array:
                if (element.GetArrayLength() > MaxArrayLength)
                {
                    return Invalid("ELB.TooManyItems", $"'{path}' has {element.GetArrayLength()} items; at most {MaxArrayLength} are taken.");
                }
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Inspect(item, $"{path}[{index++}]") is { } refused) return refused;
                }
                return null;
            case JsonValueKind.String:
                var text = element.GetString()!;
                if (text.Length > MaxStringLength) return Invalid("ELB.FieldTooLong", $"'{path}' is at most {MaxStringLength} characters.");
                return HasControlCharacter(text, allowLineBreaks: true)
                    ? Invalid("ELB.InvalidCharacter", $"'{path}' contains a control character.")
                    : null;
            default:
                return null;
        }
    }

    /// <summary>NUL and the other C0 controls (PostgreSQL refuses NUL in text and jsonb); PEM text keeps its line breaks.</summary>
    private static bool HasControlCharacter(string? text, bool allowLineBreaks = false)
    {
        foreach (var c in text ?? "")
        {
            if (c < ' ' && !(allowLineBreaks && c is '\n' or '\r' or '\t') || c == '\u007f') return true;
        }
        return false;
    }

    private static string Printable(string text) =>
        new([.. text.Take(64).Select(c => c < ' ' || c == '\u007f' ? '?' : c)]);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static Elb.Commands.RuleViolation Invalid(string errorCode, string message) =>
        Elb.Commands.RuleViolation.Invalid(errorCode, message);
}

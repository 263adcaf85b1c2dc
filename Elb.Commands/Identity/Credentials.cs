using System.Security.Cryptography;

namespace Elb.Commands.Identity;

/// <summary>Where access keys, secrets and salts come from; injected so tests and benchmarks may choose their own.</summary>
public interface ICredentialGenerator
{
    /// <summary>20 upper-case letters and digits, as IAM access key ids look.</summary>
    string AccessKeyId();

    /// <summary>40 letters and digits: 238 bits of entropy.</summary>
    string SecretKey();
}

public sealed class CredentialGenerator : ICredentialGenerator
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string Mixed = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public string AccessKeyId() => RandomNumberGenerator.GetString(Upper, 20);

    public string SecretKey() => RandomNumberGenerator.GetString(Mixed, 40);
}

/// <summary>PBKDF2-HMAC-SHA512 at OWASP's iteration count; the stored form names its parameters so they can grow.</summary>
public static class PasswordHash
{
    private const int Iterations = 210_000;
    private const int SaltSize = 16;
    private const int HashSize = 32;
    private const string Scheme = "pbkdf2-sha512";

    public const int MinLength = 8;
    public const int MaxLength = 128;

    public static string Create(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA512, HashSize);
        return $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts is not [Scheme, var iterations, var salt, var hash] || !int.TryParse(iterations, out var count)) return false;
        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(password, Convert.FromBase64String(salt), count, HashAlgorithmName.SHA512,
            expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}

using System.Security.Cryptography;
using System.Text;

namespace Elb.Commands.Identity;

/// <summary>
/// Encrypts secret keys at rest with AES-256-GCM under a key from configuration (<c>Elb:Identity:EncryptionKey</c>,
/// 32 bytes in base64), shared by every gateway. Hand-written over the BCL's AesGcm rather than Data Protection so the
/// key never lives in the database it protects: a dump of PostgreSQL alone reveals no secret.
/// </summary>
public sealed class SecretProtector
{
    private const string Version = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SecretProtector(string base64Key)
    {
        _key = Convert.FromBase64String(base64Key);
        if (_key.Length != 32) throw new InvalidOperationException("Elb:Identity:EncryptionKey must be 32 bytes in base64.");
    }

    public string Protect(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + plain.Length + TagSize];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize, plain.Length), sealedBytes.AsSpan(NonceSize + plain.Length));
        return Version + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret, or null when the value was not sealed under this key (tampered, or another key).</summary>
    public string? Unprotect(string protectedSecret)
    {
        if (!protectedSecret.StartsWith(Version, StringComparison.Ordinal)) return null;
        var sealedBytes = new byte[protectedSecret.Length];
        if (!Convert.TryFromBase64String(protectedSecret[Version.Length..], sealedBytes, out var written) || written < NonceSize + TagSize)
        {
            return null;
        }
        sealedBytes = sealedBytes[..written];
        var length = sealedBytes.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, length),
                sealedBytes.AsSpan(NonceSize + length), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain);
    }
}

using System.Security.Cryptography;
using AccountSecurity.Crypto;

namespace AccountSecurity.WebSample;

/// <summary>
/// Where the sample keeps its state: a SQLite file and, beside it, the key that encrypts TOTP secrets. Both default
/// to the content root; <c>--Sample:Database=path</c> moves them (tests use a temporary file each).
/// </summary>
/// <remarks>
/// Keeping the key in a file next to the database is a sample shortcut: a real host loads it from its secret store
/// (Key Vault, a Kubernetes secret, …), never from the same disk as the data it protects.
/// </remarks>
public sealed class SampleStorage
{
    private SampleStorage(string databasePath)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        KeyPath = DatabasePath + ".key";
    }

    /// <summary>The SQLite file.</summary>
    public string DatabasePath { get; }

    /// <summary>The file holding the secret-protection key (Base64 of 32 bytes).</summary>
    public string KeyPath { get; }

    /// <summary>The connection string for <see cref="DatabasePath"/>.</summary>
    public string ConnectionString => $"Data Source={DatabasePath}";

    /// <summary>Reads <c>Sample:Database</c>, defaulting to <c>accountsecurity-sample.db</c> in the content root.</summary>
    public static SampleStorage From(IConfiguration configuration, string contentRoot) =>
        new(configuration["Sample:Database"] is { Length: > 0 } path ? path : Path.Combine(contentRoot, "accountsecurity-sample.db"));

    /// <summary>The key TOTP secrets are encrypted with: read from <see cref="KeyPath"/>, or created there once (owner-only).</summary>
    public byte[] LoadOrCreateKey()
    {
        if (File.Exists(KeyPath))
        {
            return Convert.FromBase64String(File.ReadAllText(KeyPath).Trim());
        }

        var key = RandomNumberGenerator.GetBytes(SecretProtectionOptions.KeySizeBytes);
        Directory.CreateDirectory(Path.GetDirectoryName(KeyPath)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(KeyPath, options))
        {
            writer.Write(Convert.ToBase64String(key));
        }

        return key;
    }
}

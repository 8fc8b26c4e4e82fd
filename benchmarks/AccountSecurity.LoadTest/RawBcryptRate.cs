namespace AccountSecurity.LoadTest;

/// <summary>
/// The physical limit of this machine: bcrypt verifications per second at the run's work factor with every core busy
/// (BCrypt.Net-Next directly, <see cref="RawHashRate"/>).
/// </summary>
internal static class RawBcryptRate
{
    private const string Password = "raw bcrypt rate probe";

    public static double Measure(int workFactor, TimeSpan duration) => RawHashRate.OnEveryCore(Verifier(workFactor), duration);

    /// <summary>One bcrypt verification at <paramref name="workFactor"/>, of a hash made once.</summary>
    public static Func<bool> Verifier(int workFactor)
    {
        var hash = BCrypt.Net.BCrypt.HashPassword(Password, workFactor);
        return () => BCrypt.Net.BCrypt.Verify(Password, hash);
    }
}

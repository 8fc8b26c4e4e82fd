using System.Globalization;
using System.Security.Cryptography;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.SupportPin;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Sample;

/// <summary>
/// The user sets a support PIN on the Password &amp; Security page; later a support agent verifies a caller with it
/// (one wrong PIN, then the right one). The PIN itself is never printed: it is random, like the one a user would choose.
/// </summary>
internal static class SupportPinScenario
{
    // The contract's administrator takes the call: by default only a contract's own owner and administrators may
    // verify its users' PINs (a host with a support desk of its own registers an ISupportAgentAuthorizer).
    private const string AgentId = "admin";

    public static async Task RunAsync(IServiceProvider services, AuthenticatedSession user, string userPassword, string userEmail, TextWriter output)
    {
        var pins = services.GetRequiredService<ISupportPinService>();

        Section(output, "Support PIN: trivial PINs are refused with a reason");
        foreach (var (label, candidate) in new[] { ("a run of digits", "123456"), ("one digit repeated", "777777"), ("a repeated pair", "121212"), ("a keypad column", "147258"), ("five digits", "58203") })
        {
            output.WriteLine($"   {label}: {Describe(await pins.SetPinAsync(user, userPassword, candidate, candidate))}");
        }

        Section(output, "Support PIN: the user sets a PIN (current password required)");
        var pin = NewPin(pins);
        output.WriteLine($"   with a wrong password: {Describe(await pins.SetPinAsync(user, "not my password", pin, pin))}");
        var set = await pins.SetPinAsync(user, userPassword, pin, pin);
        output.WriteLine($"   with the password: {Describe(set)}; the PIN has {pin.Length} digits and is stored only as a salted bcrypt hash");
        var status = (await pins.GetStatusAsync(user.UserId)).Value;
        output.WriteLine($"   status: set = {status.IsSet}, since {status.SetAt:u}");

        Section(output, $"Support PIN: agent {AgentId} verifies a caller who names {userEmail}");
        var wrong = await pins.VerifyByEmailAsync(AgentId, userEmail, OtherPin(pin));
        output.WriteLine($"   caller gives a wrong PIN: {wrong.Outcome} ({wrong.ErrorCode})");
        var right = await pins.VerifyByEmailAsync(AgentId, userEmail, pin);
        output.WriteLine($"   caller gives the right PIN: {right.Outcome} (user {right.Value.UserId} of contract {right.Value.ContractId})");
        var unknown = await pins.VerifyByEmailAsync(AgentId, "nobody@example.com", pin);
        output.WriteLine($"   a caller naming an unknown account gets the wrong-PIN answer: {unknown.Outcome} ({unknown.ErrorCode})");
        var madeUp = await pins.VerifyByEmailAsync("support-agent-0042", userEmail, pin);
        output.WriteLine($"   an agent id that is no support agent, even with the right PIN: {madeUp.Outcome} ({madeUp.ErrorCode}); nothing counted");
    }

    /// <summary>A random 8-digit PIN that passes the rules, as a user would pick it; never printed.</summary>
    private static string NewPin(ISupportPinService pins)
    {
        while (true)
        {
            var candidate = RandomNumberGenerator.GetInt32(100_000_000).ToString("D8", CultureInfo.InvariantCulture);
            if (pins.ValidateNewPin(candidate).Succeeded)
            {
                return candidate;
            }
        }
    }

    /// <summary>The PIN with its last digit changed: what a caller who misremembers might say.</summary>
    private static string OtherPin(string pin) =>
        string.Concat(pin.AsSpan(0, pin.Length - 1), ((pin[^1] - '0' + 1) % 10).ToString(CultureInfo.InvariantCulture));

    private static void Section(TextWriter output, string title)
    {
        output.WriteLine();
        output.WriteLine(title);
    }

    private static string Describe(SecurityResult result) =>
        result.Succeeded ? "succeeded" : "refused (" + string.Join(", ", result.Errors.Select(e => e.Code)) + ")";
}

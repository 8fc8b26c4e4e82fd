using AccountSecurity.Accounts;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace AccountSecurity.LoadTest;

/// <summary>A user waiting at the second step: the sign-in ticket from the password step, and the app that makes the code.</summary>
internal sealed record PendingSecondStep(string Ticket, Totp App);

/// <summary>A user with 2FA confirmed: the e-mail to sign in with, and the authenticator app that makes the codes.</summary>
internal sealed record TwoFactorUser(string Email, Totp App);

/// <summary>
/// The accounts one scenario runs against, created through the library's own services before the clock starts: a
/// contract with its owner (whose session the session checks validate), one user per sign-in client, and users with
/// 2FA confirmed (one per TOTP step the scenario makes, since each code is accepted once). The password steps that
/// open the owner's session and bring the 2FA users to their second step are the target's (in-process or over HTTP).
/// </summary>
internal sealed class Population
{
    private Population(string scenario, string ownerEmail, IReadOnlyList<string> signInEmails, IReadOnlyList<TwoFactorUser> twoFactorUsers)
    {
        Scenario = scenario;
        OwnerEmail = ownerEmail;
        SignInEmails = signInEmails;
        TwoFactorUsers = twoFactorUsers;
    }

    public string Scenario { get; }

    public string OwnerEmail { get; }

    public IReadOnlyList<string> SignInEmails { get; }

    public IReadOnlyList<TwoFactorUser> TwoFactorUsers { get; }

    public static async Task<Population> CreateAsync(LoadInstance instance, string scenario, int signInUsers, int secondSteps)
    {
        var ownerId = $"{scenario}-owner";
        var ownerEmail = $"{scenario}-owner@load.example";
        Require(await PatientlyAsync(() => instance.InScopeAsync(s => s.GetRequiredService<IAccountProvisioningService>().CreateContractAsync(new NewContract { ContractId = $"{scenario}-contract", ContractName = "Load test", OwnerUserId = ownerId, OwnerEmail = ownerEmail, OwnerPassword = LoadSettings.Password }))), "create the contract");

        // Created a core's worth at a time: each costs a bcrypt or three.
        var emails = new string[signInUsers];
        await Parallel.ForAsync(0, signInUsers, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, cancel) =>
        {
            emails[i] = $"{scenario}-user{i}@load.example";
            Require(await PatientlyAsync(() => instance.InScopeAsync(s => s.GetRequiredService<IAccountProvisioningService>().CreateUserAsync(ownerId, new NewUser { UserId = $"{scenario}-user{i}", Email = emails[i], Role = UserRole.User, InitialPassword = LoadSettings.Password }, cancel))), "create a sign-in user");
        });

        var twoFactor = new TwoFactorUser[secondSteps];
        await Parallel.ForAsync(0, secondSteps, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, cancel) =>
        {
            var userId = $"{scenario}-totp{i}";
            var email = $"{userId}@load.example";
            Require(await PatientlyAsync(() => instance.InScopeAsync(s => s.GetRequiredService<IAccountProvisioningService>().CreateUserAsync(ownerId, new NewUser { UserId = userId, Email = email, Role = UserRole.User, InitialPassword = LoadSettings.Password }, cancel))), "create a 2FA user");
            var setup = await PatientlyAsync(() => instance.InScopeAsync(s => s.GetRequiredService<ITwoFactorService>().BeginSetupAsync(new AuthenticatedSession(userId, string.Empty, string.Empty, [], DateTimeOffset.MinValue), LoadSettings.Password, cancellationToken: cancel)));
            Require(setup, "begin 2FA setup");
            var app = new Totp(Base32Encoding.ToBytes(setup.Value.ManualEntryKey.Replace(" ", "", StringComparison.Ordinal)));
            // Confirmed with the previous step's code (inside the allowed drift), so the code the run sends later, of
            // this step or the next, is still fresh: each code is accepted once, and the confirmation used one.
            var confirmCode = app.ComputeTotp(DateTime.UtcNow.AddSeconds(-30));
            Require(await instance.InScopeAsync(s => s.GetRequiredService<ITwoFactorService>().ConfirmSetupAsync(userId, confirmCode, cancel)), "confirm 2FA setup");
            twoFactor[i] = new TwoFactorUser(email, app);
        });

        return new Population(scenario, ownerEmail, emails, twoFactor);
    }

    /// <summary>Runs a setup step, waiting out busy answers (the limiter's retry-after), so setup never fails for load.</summary>
    private static async Task<T> PatientlyAsync<T>(Func<Task<T>> step)
        where T : Results.SecurityResult
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await step();
            if (attempt >= 20 || result.Succeeded || result.Errors[0].Code != Results.SecurityErrorCodes.Busy)
            {
                return result;
            }

            await Task.Delay(result.Errors[0].RetryAfter ?? TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>A password sign-in in-process, waiting out busy answers (set-up only).</summary>
    public static async Task<SignInResult> SignInPatientlyAsync(LoadInstance instance, string email, CancellationToken cancel)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await instance.SignInAsync(s => s.PasswordSignInAsync(email, LoadSettings.Password, cancel));
            if (attempt >= 20 || result.Status != SignInStatus.Busy)
            {
                return result;
            }

            await Task.Delay(result.RetryAfter ?? TimeSpan.FromSeconds(1), cancel);
        }
    }

    private static void Require(Results.SecurityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Could not {what}: {string.Join(", ", result.Errors.Select(e => e.Code))}.");
        }
    }
}

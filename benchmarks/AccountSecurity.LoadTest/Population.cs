using AccountSecurity.Accounts;
using AccountSecurity.SignIn;
using AccountSecurity.TwoFactor;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace AccountSecurity.LoadTest;

/// <summary>A user waiting at the second step: the sign-in ticket from the password step, and the app that makes the code.</summary>
internal sealed record PendingSecondStep(string Ticket, Totp App);

/// <summary>
/// The accounts one scenario runs against, created through the library's own services before the clock starts: a
/// contract with its owner (whose session the session checks validate), one user per sign-in client, and users with
/// 2FA already at the second step (one per TOTP step the scenario makes, since each code is accepted once).
/// </summary>
internal sealed class Population
{
    private Population(string scenario, AuthenticatedSession ownerSession, IReadOnlyList<string> signInEmails, Queue<PendingSecondStep> secondSteps)
    {
        Scenario = scenario;
        OwnerSession = ownerSession;
        SignInEmails = signInEmails;
        SecondSteps = secondSteps;
    }

    public string Scenario { get; }

    public AuthenticatedSession OwnerSession { get; }

    public IReadOnlyList<string> SignInEmails { get; }

    public Queue<PendingSecondStep> SecondSteps { get; }

    public static async Task<Population> CreateAsync(LoadInstance instance, string scenario, int signInUsers, int secondSteps)
    {
        var ownerId = $"{scenario}-owner";
        var ownerEmail = $"{scenario}-owner@load.example";
        Require(await PatientlyAsync(() => instance.InScopeAsync(s => s.GetRequiredService<IAccountProvisioningService>().CreateContractAsync($"{scenario}-contract", "Load test", ownerId, ownerEmail, LoadSettings.Password))), "create the contract");
        var ownerSignIn = await SignInPatientlyAsync(instance, ownerEmail, default);
        var ownerSession = ownerSignIn.Session ?? throw new InvalidOperationException($"The owner's sign-in answered {ownerSignIn.Status}.");

        // Created a core's worth at a time: each costs a bcrypt or three.
        var emails = new string[signInUsers];
        await Parallel.ForAsync(0, signInUsers, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, cancel) =>
        {
            emails[i] = $"{scenario}-user{i}@load.example";
            Require(await PatientlyAsync(() => instance.InScopeAsync(s => s.GetRequiredService<IAccountProvisioningService>().CreateUserAsync(ownerId, $"{scenario}-user{i}", emails[i], UserRole.User, LoadSettings.Password, cancel))), "create a sign-in user");
        });

        var pending = new PendingSecondStep[secondSteps];
        await Parallel.ForAsync(0, secondSteps, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, cancel) =>
        {
            var userId = $"{scenario}-totp{i}";
            var email = $"{userId}@load.example";
            Require(await PatientlyAsync(() => instance.InScopeAsync(s => s.GetRequiredService<IAccountProvisioningService>().CreateUserAsync(ownerId, userId, email, UserRole.User, LoadSettings.Password, cancel))), "create a 2FA user");
            var setup = await PatientlyAsync(() => instance.InScopeAsync(s => s.GetRequiredService<ITwoFactorService>().BeginSetupAsync(userId, LoadSettings.Password, cancellationToken: cancel)));
            Require(setup, "begin 2FA setup");
            var app = new Totp(Base32Encoding.ToBytes(setup.Value.ManualEntryKey.Replace(" ", "", StringComparison.Ordinal)));
            // Confirmed with the previous step's code (inside the allowed drift), so the code the run sends later, of
            // this step or the next, is still fresh: each code is accepted once, and the confirmation used one.
            var confirmCode = app.ComputeTotp(DateTime.UtcNow.AddSeconds(-30));
            Require(await instance.InScopeAsync(s => s.GetRequiredService<ITwoFactorService>().ConfirmSetupAsync(userId, confirmCode, cancel)), "confirm 2FA setup");
            var signIn = await SignInPatientlyAsync(instance, email, cancel);
            pending[i] = signIn is { Status: SignInStatus.SecondFactorRequired, Ticket: { } ticket }
                ? new PendingSecondStep(ticket, app)
                : throw new InvalidOperationException($"A 2FA user's password step answered {signIn.Status}.");
        });

        return new Population(scenario, ownerSession, emails, new Queue<PendingSecondStep>(pending));
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

    private static async Task<SignInResult> SignInPatientlyAsync(LoadInstance instance, string email, CancellationToken cancel)
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

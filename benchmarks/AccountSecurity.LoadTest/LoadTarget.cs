using AccountSecurity.Sessions;
using AccountSecurity.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.LoadTest;

/// <summary>How a sign-in was answered, as the scenario counts it.</summary>
internal enum AnswerKind
{
    /// <summary>Signed in.</summary>
    Succeeded,

    /// <summary>The hashing limiter's <c>busy</c> (in-process <see cref="SignInStatus.Busy"/>, over HTTP 503 with Retry-After): the only answer counted as refused.</summary>
    Busy,

    /// <summary>Anything else: a failure of the run (the versus-identity mode counts it as a wrong answer, with <see cref="SignInAnswer.Detail"/>).</summary>
    Failed,

    /// <summary>A wrong password answered as one (the versus-identity mode sends some on purpose): a completed attempt.</summary>
    Rejected,
}

/// <summary>One sign-in's answer, with the retry-after a busy answer carries, and what a failed one was.</summary>
internal readonly record struct SignInAnswer(AnswerKind Kind, TimeSpan? RetryAfter, string? Detail = null)
{
    public static SignInAnswer Succeeded => new(AnswerKind.Succeeded, null);

    public static SignInAnswer Failed => new(AnswerKind.Failed, null);

    public static SignInAnswer Rejected => new(AnswerKind.Rejected, null);

    public static SignInAnswer Wrong(string detail) => new(AnswerKind.Failed, null, detail);

    public static SignInAnswer Busy(TimeSpan? retryAfter) => new(AnswerKind.Busy, retryAfter);
}

/// <summary>
/// What the overload scenario drives, whatever carries the calls: the library's services in-process
/// (<see cref="InProcessTarget"/>) or the ASP.NET Core package's endpoints over HTTP (<see cref="HttpTarget"/>). The
/// accounts exist before the clock starts; so do the users waiting at their second step.
/// </summary>
internal interface ILoadTarget
{
    /// <summary>
    /// A client that signs in the <paramref name="user"/>-th sign-in user of this target's population, again and again:
    /// created before the clock starts (over HTTP, its own <see cref="HttpClient"/> and cookies).
    /// </summary>
    Func<Task<SignInAnswer>> SignInClient(int user);

    /// <summary>One session check of the population's signed-in owner; <see langword="false"/> when the session was not accepted.</summary>
    Task<bool> CheckSessionAsync();

    /// <summary>One TOTP second step of the next user waiting at it; <see langword="false"/> when none was left or the code was not accepted.</summary>
    Task<bool> SecondStepAsync();
}

/// <summary>The scenario on the library's services in one process: each call in its own scope, as a host runs a request.</summary>
internal sealed class InProcessTarget : ILoadTarget
{
    private readonly LoadInstance _instance;
    private readonly IReadOnlyList<string> _emails;
    private readonly string _owner;
    private readonly Queue<PendingSecondStep> _secondSteps;

    private InProcessTarget(LoadInstance instance, IReadOnlyList<string> emails, string owner, Queue<PendingSecondStep> secondSteps)
    {
        _instance = instance;
        _emails = emails;
        _owner = owner;
        _secondSteps = secondSteps;
    }

    /// <summary>Signs the population's owner in (the session the checks validate) and takes every 2FA user through the password step.</summary>
    public static async Task<InProcessTarget> CreateAsync(LoadInstance instance, Population population)
    {
        var ownerSignIn = await Population.SignInPatientlyAsync(instance, population.OwnerEmail, default);
        var signedIn = ownerSignIn.Session ?? throw new InvalidOperationException($"The owner's sign-in answered {ownerSignIn.Status}.");

        // The cheap path hosts run: the server-side session a sign-in begins, checked by its reference (one registry read).
        var started = await instance.InScopeAsync(services => services.GetRequiredService<ISessionService>().StartAsync(signedIn));
        var owner = started.Succeeded ? started.Value.Reference : throw new InvalidOperationException($"The owner's session did not start: {started}.");
        var pending = new PendingSecondStep[population.TwoFactorUsers.Count];
        await Parallel.ForAsync(0, pending.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (i, cancel) =>
        {
            var user = population.TwoFactorUsers[i];
            var signIn = await Population.SignInPatientlyAsync(instance, user.Email, cancel);
            pending[i] = signIn is { Status: SignInStatus.SecondFactorRequired, Ticket: { } ticket }
                ? new PendingSecondStep(ticket, user.App)
                : throw new InvalidOperationException($"A 2FA user's password step answered {signIn.Status}.");
        });
        return new InProcessTarget(instance, population.SignInEmails, owner, new Queue<PendingSecondStep>(pending));
    }

    public Func<Task<SignInAnswer>> SignInClient(int user)
    {
        var email = _emails[user];
        return async () =>
        {
            if (_instance.Limits is { } limits)
            {
                // What a host's sign-in page does first: the abuse limits of the address and the account, shared on Redis.
                var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
                context.Connection.RemoteIpAddress = System.Net.IPAddress.Loopback;
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var decision = await limits.TryAcquireAsync(AccountSecurity.AspNetCore.RateLimiting.AbuseOperation.SignIn, context, email);
                _instance.LimitChecks.RecordSince(started);
                if (!decision.IsAllowed)
                {
                    return SignInAnswer.Failed;
                }
            }

            var result = await _instance.SignInAsync(s => s.PasswordSignInAsync(email, LoadSettings.Password));
            return result.Succeeded ? SignInAnswer.Succeeded
                : result.Status == SignInStatus.Busy ? SignInAnswer.Busy(result.RetryAfter)
                : SignInAnswer.Failed;
        };
    }

    public Task<bool> CheckSessionAsync() => _instance.InScopeAsync(async services =>
        (await services.GetRequiredService<ISessionService>().ValidateAsync(_owner)).Status != SessionStatus.Invalid);

    public async Task<bool> SecondStepAsync()
    {
        PendingSecondStep? next;
        lock (_secondSteps)
        {
            _secondSteps.TryDequeue(out next);
        }

        return next is not null && (await _instance.SignInAsync(s => s.SecondFactorSignInAsync(next.Ticket, next.App.ComputeTotp()))).Succeeded;
    }
}

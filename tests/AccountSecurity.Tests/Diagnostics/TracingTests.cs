using System.Collections.Concurrent;
using System.Diagnostics;
using AccountSecurity.Accounts;
using AccountSecurity.Diagnostics;
using AccountSecurity.Events;
using AccountSecurity.Results;
using AccountSecurity.SignIn;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.Tests.SignIn;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.Tests.Diagnostics;

/// <summary>
/// The <c>AccountSecurity</c> activity source as an OpenTelemetry user sees it: a listener on the source through whole
/// flows. Every test runs its flow under a root activity of its own and looks only at that trace, so spans of other
/// work in the process never count.
/// </summary>
public sealed class TracingTests
{
    [Test]
    public async Task PasswordAndTotpSignIn_RecordsAStepSpanPerStep_WithTheFactorCheckAndItsWorkInside()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        using var spans = new SpanRecorder();

        using (var root = spans.StartRoot())
        {
            var first = await host.SignIn.PasswordSignInAsync(TwoFactorTestHost.EmailOf("alice"), TwoFactorTestHost.UserPassword);
            first.Status.Should().Be(SignInStatus.SecondFactorRequired);
            var second = await host.SignIn.SecondFactorSignInAsync(first.Ticket, host.CodeFor(enrolled.Secret));
            second.Succeeded.Should().BeTrue();
            (await host.SignIn.ValidateSessionAsync(second.Session!)).Should().BeTrue();
        }

        var trace = spans.Trace();
        var steps = trace.Where(a => a.ParentSpanId == spans.Root!.SpanId).ToList();
        steps.Select(a => a.OperationName).Should().Equal("accountsecurity.sign_in.password", "accountsecurity.sign_in.second_factor", "accountsecurity.session.validate");
        Outcome(steps[0]).Should().Be("second_factor_required");
        Outcome(steps[1]).Should().Be("succeeded");
        Outcome(steps[2]).Should().Be("valid");

        var passwordCheck = trace.Single(a => a.ParentSpanId == steps[0].SpanId && a.OperationName == "accountsecurity.factor.verify");
        passwordCheck.GetTagItem("accountsecurity.factor").Should().Be("password");
        Outcome(passwordCheck).Should().Be("verified");
        passwordCheck.GetTagItem("accountsecurity.factor.locked").Should().Be(false);
        var insideCheck = trace.Where(a => a.ParentSpanId == passwordCheck.SpanId).Select(a => a.OperationName).ToList();
        insideCheck.Should().Contain(["accountsecurity.hashing.wait", "accountsecurity.hashing.compute", "accountsecurity.store.update"]);
        insideCheck.IndexOf("accountsecurity.hashing.wait").Should().BeLessThan(insideCheck.IndexOf("accountsecurity.hashing.compute"), "the turn is taken before bcrypt runs");

        var codeCheck = trace.Single(a => a.ParentSpanId == steps[1].SpanId && a.OperationName == "accountsecurity.factor.verify");
        codeCheck.GetTagItem("accountsecurity.factor").Should().Be("second_factor");
        Outcome(codeCheck).Should().Be("verified");

        // The reservation and the success write, each one landed write of a user record.
        var writes = trace.Where(a => a.ParentSpanId == codeCheck.SpanId && a.OperationName == "accountsecurity.store.update").ToList();
        writes.Should().HaveCount(2);
        writes.Should().OnlyContain(w => Equals(w.GetTagItem("accountsecurity.store.record"), "user") && Equals(w.GetTagItem("accountsecurity.store.attempts"), 1) && Outcome(w) == "written");

        trace.Should().OnlyContain(a => a.Status == ActivityStatusCode.Unset, "no step of a successful sign-in is an error");
        trace.Should().OnlyContain(a => a.Source.Name == AccountSecurityActivitySource.Name);
    }

    [Test]
    public async Task WholeTwoFactorLifecycle_NoSecretOrIdentifierInAnySpan()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        var alice = await host.CreateUserAsync("alice");
        using var spans = new SpanRecorder();
        var secrets = new List<string> { TwoFactorTestHost.UserPassword, TwoFactorTestHost.NewPassword, alice.Id, alice.Email, alice.ContractId };

        using (spans.StartRoot())
        {
            // Setup and confirmation: the TOTP secret and the recovery codes pass through the library here.
            var setup = await host.TwoFactor.BeginSetupAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword);
            var secret = TwoFactorTestHost.SecretOf(setup.Value);
            var confirmCode = host.CodeFor(secret);
            var confirmed = await host.TwoFactor.ConfirmSetupAsync("alice", confirmCode);
            confirmed.Succeeded.Should().BeTrue();
            host.NextStep();
            secrets.AddRange([TwoFactorTestHost.Base32Of(setup.Value), setup.Value.ManualEntryKey, confirmCode, confirmed.Value.SecurityStamp, .. confirmed.Value.RecoveryCodes]);

            // Failures: a wrong password, a wrong code.
            var wrongPassword = "Wrong-Horse-Battery-42!";
            secrets.Add(wrongPassword);
            (await host.SignIn.PasswordSignInAsync(alice.Email, wrongPassword)).Status.Should().Be(SignInStatus.Failed);
            var ticket = await host.TicketAsync("alice");
            var wrongCode = host.WrongCodeFor(secret);
            secrets.AddRange([ticket, wrongCode]);
            (await host.SignIn.SecondFactorSignInAsync(ticket, wrongCode)).Succeeded.Should().BeFalse();

            // Success with the TOTP code, then with a recovery code.
            var code = host.CodeFor(secret);
            secrets.Add(code);
            var signedIn = await host.SignIn.SecondFactorSignInAsync(ticket, code);
            signedIn.Succeeded.Should().BeTrue();
            secrets.Add(signedIn.Session!.SecurityStamp);
            var secondTicket = await host.TicketAsync("alice");
            secrets.Add(secondTicket);
            (await host.SignIn.RecoveryCodeSignInAsync(secondTicket, confirmed.Value.RecoveryCodes[0])).Succeeded.Should().BeTrue();

            // A password change.
            (await host.PasswordChange.ChangePasswordAsync(TestSessions.Of("alice"), TwoFactorTestHost.UserPassword, TwoFactorTestHost.NewPassword, TwoFactorTestHost.NewPassword)).Succeeded.Should().BeTrue();
        }

        var trace = spans.Trace();
        trace.Select(a => a.OperationName).Should().Contain(
        [
            "accountsecurity.two_factor.setup.begin", "accountsecurity.two_factor.setup.confirm", "accountsecurity.sign_in.password",
            "accountsecurity.sign_in.second_factor", "accountsecurity.sign_in.recovery_code", "accountsecurity.password.change", "accountsecurity.factor.verify",
        ]);
        var texts = trace.SelectMany(TextsOf).Append(AccountSecurityActivitySource.Name).Append(AccountSecurityActivitySource.Version).ToList();
        texts.Should().NotBeEmpty();
        foreach (var text in texts)
        {
            foreach (var secret in secrets)
            {
                text.Should().NotContainEquivalentOf(secret, "a span carries codes and the factor only");
            }
        }
    }

    [Test]
    public async Task WrongPassword_TaggedAsAFailureOutcome_NotAsAnError()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        using var spans = new SpanRecorder();

        using (spans.StartRoot())
        {
            (await host.SignIn.PasswordSignInAsync(TwoFactorTestHost.EmailOf("alice"), "Not-The-Password-1!")).Status.Should().Be(SignInStatus.Failed);
        }

        var trace = spans.Trace();
        var step = trace.Single(a => a.OperationName == "accountsecurity.sign_in.password");
        Outcome(step).Should().Be(SecurityErrorCodes.InvalidCredentials);
        var check = trace.Single(a => a.OperationName == "accountsecurity.factor.verify");
        check.ParentSpanId.Should().Be(step.SpanId);
        check.GetTagItem("accountsecurity.factor").Should().Be("password");
        Outcome(check).Should().Be("wrong");
        trace.Should().OnlyContain(a => a.Status == ActivityStatusCode.Unset, "a wrong password is an outcome, not an error");
    }

    [Test]
    public async Task StoreWriteThatConflicts_IsOneSpanWithAnEventPerRetry()
    {
        using var spans = new SpanRecorder();
        var writes = 0;

        using (spans.StartRoot())
        {
            var result = await ReadModifyWrite.RunAsync<UserAccount, string>(
                _ => ValueTask.FromResult<UserAccount?>(new UserAccount { Id = "u-secret", ContractId = "c-secret", Email = "x@example.com", SecurityStamp = "stamp-secret" }),
                (_, _) => ValueTask.FromResult(++writes < 3 ? StoreWriteResult.Conflict : StoreWriteResult.Success),
                current => new RecordChange<UserAccount, string>("done", current),
                maxAttempts: 5,
                () => "exhausted",
                _ => { },
                CancellationToken.None);
            result.Should().Be("done");
        }

        var span = spans.Trace().Single();
        span.OperationName.Should().Be("accountsecurity.store.update");
        span.GetTagItem("accountsecurity.store.attempts").Should().Be(3);
        Outcome(span).Should().Be("written");
        span.Events.Select(e => e.Name).Should().Equal("accountsecurity.store.conflict", "accountsecurity.store.conflict");
        span.Events.Select(e => e.Tags.Single().Value).Should().Equal(1, 2);
        span.TagObjects.Select(t => t.Value?.ToString()).Should().NotContain(v => v!.Contains("secret", StringComparison.Ordinal));
    }

    [Test]
    public async Task StoreWriteThatThrows_MarksTheSpanAsAnError_WithTheExceptionTypeOnly()
    {
        using var spans = new SpanRecorder();
        const string message = "connection to db failed for u-secret";

        using (spans.StartRoot())
        {
            var act = async () => await ReadModifyWrite.RunAsync<UserAccount, string>(
                _ => ValueTask.FromResult<UserAccount?>(new UserAccount { Id = "u-secret", ContractId = "c", Email = "x@example.com", SecurityStamp = "stamp-secret" }),
                (_, _) => throw new InvalidOperationException(message),
                current => new RecordChange<UserAccount, string>("done", current),
                maxAttempts: 5,
                () => "exhausted",
                _ => { },
                CancellationToken.None);
            await act.Should().ThrowAsync<InvalidOperationException>();
        }

        var span = spans.Trace().Single();
        span.Status.Should().Be(ActivityStatusCode.Error);
        span.GetTagItem("error.type").Should().Be(typeof(InvalidOperationException).FullName);
        TextsOf(span).Should().NotContain(t => t.Contains("u-secret", StringComparison.Ordinal), "an exception's message may quote input");
    }

    [Test]
    public async Task WithoutAListener_NoActivityIsCreated()
    {
        var seen = new ActivityCapturingSink();
        using var host = await TwoFactorTestHost.CreateAsync(services: s => s.AddSingleton<ISecurityEventSink>(seen));
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        AccountSecurityActivitySource.Source.HasListeners().Should().BeFalse("no test leaves a listener behind");

        await host.SignInWithCodeAsync("alice", enrolled);

        seen.Sources.Should().NotBeEmpty("the sink saw the sign-in's events").And.OnlyContain(s => s == "none", "no activity of any kind was started");

        // And the same sink does see the library's spans once someone listens (the probe can fail).
        seen.Sources.Clear();
        using var spans = new SpanRecorder();
        await host.SignInWithCodeAsync("alice", enrolled);
        seen.Sources.Should().Contain($"{AccountSecurityActivitySource.Name}:accountsecurity.sign_in.second_factor");
    }

    private static string? Outcome(Activity activity) => activity.GetTagItem("accountsecurity.outcome") as string;

    /// <summary>Everything of a span a trace backend stores as text: names, every tag and event (key and value), baggage, status.</summary>
    private static IEnumerable<string> TextsOf(Activity activity)
    {
        yield return activity.OperationName;
        yield return activity.DisplayName;
        yield return activity.StatusDescription ?? string.Empty;
        foreach (var tag in activity.TagObjects)
        {
            yield return tag.Key;
            yield return Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
        }

        foreach (var item in activity.Baggage)
        {
            yield return item.Key + "=" + item.Value;
        }

        foreach (var e in activity.Events)
        {
            yield return e.Name;
            foreach (var tag in e.Tags)
            {
                yield return tag.Key;
                yield return Convert.ToString(tag.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }
    }

    /// <summary>An <see cref="ActivityListener"/> on the AccountSecurity source that keeps every span it sees end.</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public SpanRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == AccountSecurityActivitySource.Name,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public Activity? Root { get; private set; }

        /// <summary>A root activity (no source needed) whose trace the library's spans join.</summary>
        public Activity StartRoot()
        {
            var root = new Activity("test-root");
            root.SetIdFormat(ActivityIdFormat.W3C);
            Root = root.Start();
            return Root;
        }

        /// <summary>The spans of <see cref="Root"/>'s trace, in the order they started.</summary>
        public List<Activity> Trace() =>
            [.. _stopped.Where(a => a.TraceId == Root!.TraceId).OrderBy(a => a.StartTimeUtc).ThenBy(a => a.Id, StringComparer.Ordinal)];

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>Notes, for every event, the current activity's source and name (<c>none</c> when there is no current activity).</summary>
    private sealed class ActivityCapturingSink : ISecurityEventSink
    {
        public ConcurrentBag<string> Sources { get; } = [];

        public ValueTask OnEventAsync(SecurityEvent securityEvent, CancellationToken cancellationToken)
        {
            Sources.Add(Activity.Current is { } current ? $"{current.Source.Name}:{current.OperationName}" : "none");
            return ValueTask.CompletedTask;
        }
    }
}

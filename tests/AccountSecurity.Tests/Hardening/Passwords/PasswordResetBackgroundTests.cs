using System.Collections.Concurrent;
using AccountSecurity.DependencyInjection;
using AccountSecurity.Events;
using AccountSecurity.Passwords.Reset;
using AccountSecurity.Stores;
using AccountSecurity.Testing;
using AccountSecurity.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AccountSecurity.Tests.Hardening.Passwords;

/// <summary>
/// Issue 8, item 13: a reset request is answered before any store or mail work, the same way for every address; the
/// work runs afterwards in its own DI scope, bounded, with every failure logged (never the token), and disposal waits
/// for it. Tests wait through the internal seam and gated fakes, never by sleeping or timing.
/// </summary>
public sealed class PasswordResetBackgroundTests
{
    private const string Unknown = "nobody.here@example.com";

    private static async Task<(TestHost Host, GatedUserStore Store)> GatedAsync(Action<IServiceCollection>? services = null, Action<AccountSecurityOptions>? configure = null)
    {
        var store = new GatedUserStore(new InMemoryUserStore());
        var host = TestHost.Create(
            o =>
            {
                o.PasswordReset.MinimumIntervalBetweenTokens = TimeSpan.Zero;
                configure?.Invoke(o);
            },
            s =>
            {
                s.AddSingleton<IUserStore>(store);
                services?.Invoke(s);
            });
        await host.SeedContractAsync();
        await host.ModifyUserAsync(TestHost.AdminId, u => u with { IsActive = false });
        store.ClearCalls();
        return (host, store);
    }

    [Test]
    public async Task RequestReset_ExistingUnknownAndInactiveAddress_AnswerBeforeAnyStoreWork()
    {
        var (host, store) = await GatedAsync();
        await using var _ = host;
        store.Close();
        var answers = new List<ValueTask<AccountSecurity.Results.SecurityResult>>();
        try
        {
            foreach (var email in new[] { TestHost.UserEmail, Unknown, TestHost.AdminEmail })
            {
                var answer = host.Reset.RequestResetAsync(email);
                answers.Add(answer);
                answer.IsCompleted.Should().BeTrue($"the answer for {email} must not wait for the lookup or the token write");
            }
        }
        finally
        {
            store.Open();
        }

        foreach (var answer in answers)
        {
            (await answer).Succeeded.Should().BeTrue();
        }

        await host.WaitForResetWorkAsync();
        host.Sender.Messages.Should().ContainSingle().Which.UserId.Should().Be(TestHost.UserId);
        (await host.UserAsync()).PasswordResetTokens.Should().ContainSingle();
        host.Events.OfType(SecurityEventType.PasswordResetRequested).Select(e => e.Outcome).Should().BeEquivalentTo("token_issued", "no_active_account", "no_active_account");
    }

    [Test]
    public async Task RequestReset_ExistingAccount_AnswersBeforeTheSenderIsDone()
    {
        var sender = new HeldResetTokenSender();
        await using var host = TestHost.Create(services: s => s.AddSingleton<IPasswordResetTokenSender>(sender));
        await host.SeedContractAsync();

        ValueTask<AccountSecurity.Results.SecurityResult> answer;
        try
        {
            answer = host.Reset.RequestResetAsync(TestHost.UserEmail);
            answer.IsCompleted.Should().BeTrue("the answer must not wait for the mail to be handed over");
        }
        finally
        {
            sender.Release();
        }

        (await answer).Succeeded.Should().BeTrue();
        await host.WaitForResetWorkAsync();
        sender.Messages.Should().ContainSingle().Which.UserId.Should().Be(TestHost.UserId);
    }

    [Test]
    public async Task RequestReset_BackgroundWork_RunsInItsOwnScopeWhichIsDisposedAfterwards()
    {
        var made = new ConcurrentQueue<ScopeProbeUserStore>();
        var shared = new InMemoryUserStore();
        await using var host = TestHost.Create(services: s => s.AddScoped<IUserStore>(_ => ScopeProbeUserStore.Create(shared, made)));
        await host.SeedContractAsync();
        var callersStore = (ScopeProbeUserStore)host.Users;
        var lookupsBefore = callersStore.EmailLookups;

        (await host.Reset.RequestResetAsync(TestHost.UserEmail)).Succeeded.Should().BeTrue();
        await host.WaitForResetWorkAsync();

        host.Sender.Messages.Should().ContainSingle();
        callersStore.EmailLookups.Should().Be(lookupsBefore, "the caller's scoped store is not used after the answer");
        var worker = made.Where(s => !ReferenceEquals(s, callersStore) && s.EmailLookups > 0).Should().ContainSingle().Subject;
        worker.Disposed.Should().BeTrue("the work's own scope is disposed when the work is done");
        callersStore.Disposed.Should().BeFalse();
    }

    [Test]
    public async Task RequestReset_WhenTheStoreFailsInTheBackground_AnswersAsUsualAndLogsTheFailureByTypeOnly()
    {
        var (host, store) = await GatedAsync();
        await using var _ = host;
        store.FailUpdatesWith = new InvalidOperationException("store exploded: secret-detail-7f3a");

        var result = await host.Reset.RequestResetAsync(TestHost.UserEmail);
        await host.WaitForResetWorkAsync();

        result.Succeeded.Should().BeTrue();
        host.Sender.Messages.Should().BeEmpty();
        host.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.EventId.Id == 103 && e.Message.Contains(nameof(InvalidOperationException), StringComparison.Ordinal));
        host.Logs.AllText().Should().NotContain(t => t.Contains("secret-detail-7f3a", StringComparison.Ordinal));
    }

    [Test]
    public async Task RequestReset_WhenTheSenderFailsInTheBackground_LogsItWithoutTheToken()
    {
        var sender = new HeldResetTokenSender { Throw = new InvalidOperationException("mail queue down") };
        sender.Release();
        await using var host = TestHost.Create(services: s => s.AddSingleton<IPasswordResetTokenSender>(sender));
        await host.SeedContractAsync();

        (await host.Reset.RequestResetAsync(TestHost.UserEmail)).Succeeded.Should().BeTrue();
        await host.WaitForResetWorkAsync();

        var token = sender.Messages.Should().ContainSingle().Subject.Token;
        host.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Error && e.EventId.Id == 101 && e.Message.Contains(TestHost.UserId, StringComparison.Ordinal));
        host.Logs.AllText().Should().NotContain(t => t.Contains(token, StringComparison.Ordinal) || t.Contains("mail queue down", StringComparison.Ordinal));
    }

    [Test]
    public async Task DisposingTheServiceProvider_WaitsForQueuedResetWork()
    {
        var sender = new HeldResetTokenSender();
        var host = TestHost.Create(services: s => s.AddSingleton<IPasswordResetTokenSender>(sender));
        await host.SeedContractAsync();
        Task disposal;
        try
        {
            _ = host.Reset.RequestResetAsync(TestHost.UserEmail);
            disposal = host.DisposeAsync().AsTask();
            disposal.IsCompleted.Should().BeFalse("disposal waits until the queued work has handed its mail over");
        }
        finally
        {
            sender.Release();
        }

        await disposal;
        sender.Messages.Should().ContainSingle().Which.UserId.Should().Be(TestHost.UserId);
    }

    [Test]
    public async Task RequestReset_BeyondTheQueueBound_IsAnsweredAsUsualButDroppedWithAWarning()
    {
        const int Capacity = 2;
        var (host, store) = await GatedAsync(configure: o => o.PasswordReset.MaxQueuedRequests = Capacity);
        await using var _ = host;
        store.Close();
        var answers = new List<ValueTask<AccountSecurity.Results.SecurityResult>>();
        try
        {
            for (var i = 0; i < PasswordResetQueue.Workers; i++)
            {
                answers.Add(host.Reset.RequestResetAsync($"nobody{i}@example.com"));
            }

            await store.EnteredAsync(PasswordResetQueue.Workers); // every worker is busy, the queue is empty
            for (var i = 0; i < Capacity + 1; i++)
            {
                answers.Add(host.Reset.RequestResetAsync($"queued{i}@example.com"));
            }

            host.Logs.Entries.Should().ContainSingle(e => e.EventId.Id == 102 && e.Level == LogLevel.Warning && e.Message.Contains("queue_full", StringComparison.Ordinal));
        }
        finally
        {
            store.Open();
        }

        foreach (var answer in answers)
        {
            (await answer).Succeeded.Should().BeTrue("a dropped request is answered like every other");
        }

        await host.WaitForResetWorkAsync();
        store.Calls.Count(c => c == nameof(IUserStore.FindByEmailAsync)).Should().Be(PasswordResetQueue.Workers + Capacity);
    }

    [TestCase(0, false)]
    [TestCase(1, true)]
    [TestCase(1000, true)]
    [TestCase(100_001, false)]
    public void OptionsValidation_MaxQueuedRequests_IsBounded(int value, bool valid)
    {
        var options = AccountSecurityTestOptions.ApplyFastTestDefaults(new AccountSecurityOptions());
        options.PasswordReset.MaxQueuedRequests = value;

        new AccountSecurityOptionsValidator().Validate(null, options).Succeeded.Should().Be(valid);
    }
}

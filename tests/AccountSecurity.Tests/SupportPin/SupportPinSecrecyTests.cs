using System.Security.Cryptography;
using AccountSecurity.SupportPin;
using AccountSecurity.Testing;

namespace AccountSecurity.Tests.SupportPin;

public sealed class SupportPinSecrecyTests
{
    // Distinctive values that cannot appear in a log line by accident (no ids, times or counts look like them).
    private const string FirstPin = "58203947";
    private const string SecondPin = "73046185";
    private const string WrongPin = "91827364";
    private const string User = SupportPinTestHost.UserId;
    private const string Agent = SupportPinTestHost.Agent;

    [Test]
    public async Task NoPin_NorHash_AppearsInAnyLogLineOrEvent_ThroughEveryOperation()
    {
        await using var host = await SupportPinTestHost.CreateAsync(o =>
        {
            o.SupportPin.Pepper = RandomNumberGenerator.GetBytes(32);
            o.Lockout.SupportPin.MaxFailedAttempts = 3;
        });
        var pins = host.Pins;
        var hashes = new List<string>();

        // Refused attempts: the PIN in the error, in the mismatch, in the wrong fields.
        await pins.SetPinAsync(TestSessions.Of(User), SupportPinTestHost.Password, FirstPin, SecondPin);
        await pins.SetPinAsync(TestSessions.Of(User), "not the password", FirstPin, FirstPin);
        await pins.SetPinAsync(TestSessions.Of(User), SupportPinTestHost.Password, FirstPin + "x", FirstPin + "x");

        // Set, change, verify right and wrong, typed into the wrong fields, lock, remove.
        (await pins.SetPinAsync(TestSessions.Of(User), SupportPinTestHost.Password, FirstPin, FirstPin)).Succeeded.Should().BeTrue();
        hashes.Add((await host.UserAsync()).SupportPinHash!);
        (await pins.VerifyByEmailAsync(Agent, SupportPinTestHost.Email, WrongPin)).Outcome.Should().Be(SupportPinVerificationOutcome.WrongPin);
        (await pins.VerifyByEmailAsync(Agent, SupportPinTestHost.Email, FirstPin)).Succeeded.Should().BeTrue();
        (await pins.VerifyByEmailAsync(Agent, FirstPin, FirstPin)).Outcome.Should().Be(SupportPinVerificationOutcome.WrongPin);
        (await pins.VerifyByUserIdAsync(Agent, FirstPin, FirstPin)).Outcome.Should().Be(SupportPinVerificationOutcome.WrongPin);
        (await pins.VerifyByUserIdAsync(Agent, User, FirstPin + "x")).Outcome.Should().Be(SupportPinVerificationOutcome.InvalidInput);
        (await pins.SetPinAsync(TestSessions.Of(User), SupportPinTestHost.Password, SecondPin, SecondPin)).Succeeded.Should().BeTrue();
        hashes.Add((await host.UserAsync()).SupportPinHash!);
        for (var i = 0; i < 4; i++)
        {
            await pins.VerifyByUserIdAsync(Agent, User, WrongPin);
        }

        (await pins.VerifyByUserIdAsync(Agent, User, SecondPin)).Outcome.Should().Be(SupportPinVerificationOutcome.LockedOut);
        (await pins.RemovePinAsync(TestSessions.Of(User), SupportPinTestHost.Password)).Succeeded.Should().BeTrue();
        (await pins.VerifyByUserIdAsync(Agent, User, SecondPin)).Outcome.Should().Be(SupportPinVerificationOutcome.NoPinSet);

        var logText = host.Logs.AllText();
        var eventText = host.Events.AllText();
        logText.Should().NotBeEmpty("the operations above are logged by the default sink");
        eventText.Should().HaveCountGreaterThan(10);
        foreach (var secret in new[] { FirstPin, SecondPin, WrongPin }.Concat(hashes))
        {
            logText.Should().NotContain(line => line.Contains(secret, StringComparison.Ordinal), "no log line may carry a PIN or its hash");
            eventText.Should().NotContain(line => line.Contains(secret, StringComparison.Ordinal), "no event may carry a PIN or its hash");
        }

        host.Events.Events.Select(e => e.Type).Should().Contain(
        [
            AccountSecurity.Events.SecurityEventType.SupportPinChangeFailed, AccountSecurity.Events.SecurityEventType.SupportPinSet, AccountSecurity.Events.SecurityEventType.SupportPinChanged,
            AccountSecurity.Events.SecurityEventType.SupportPinVerified, AccountSecurity.Events.SecurityEventType.SupportPinVerificationFailed, AccountSecurity.Events.SecurityEventType.LockedOut,
            AccountSecurity.Events.SecurityEventType.SupportPinRemoved,
        ]);
    }

    [Test]
    public async Task Results_Statuses_AndTheUser_NeverPrintThePinOrHash()
    {
        await using var host = await SupportPinTestHost.CreateAsync();
        var set = await host.Pins.SetPinAsync(TestSessions.Of(User), SupportPinTestHost.Password, FirstPin, FirstPin);
        var user = await host.UserAsync();
        var verified = await host.Pins.VerifyByUserIdAsync(Agent, User, FirstPin);
        var wrong = await host.Pins.VerifyByUserIdAsync(Agent, User, WrongPin);
        var refused = await host.Pins.SetPinAsync(TestSessions.Of(User), SupportPinTestHost.Password, FirstPin, SecondPin);

        foreach (var text in new[] { set.ToString(), set.Value.ToString(), user.ToString(), verified.ToString(), wrong.ToString(), refused.ToString(), string.Join(' ', refused.Errors) })
        {
            text.Should().NotContain(FirstPin).And.NotContain(SecondPin).And.NotContain(WrongPin).And.NotContain(user.SupportPinHash!);
        }
    }
}

using AccountSecurity.Results;
using AccountSecurity.SignIn;

namespace AccountSecurity.Tests.SignIn;

/// <summary>
/// A user signing in on two devices at once (issue 23, finding 8): each password step holds its own ticket, each
/// single-use, in a small bounded set per user.
/// </summary>
public sealed class ConcurrentSignInTicketTests
{
    [Test]
    public async Task TwoDevicesSigningInAtOnce_EachCompletesWithItsOwnTicket()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");

        var laptop = await host.TicketAsync("alice");
        var phone = await host.TicketAsync("alice");
        (await host.GetUserAsync("alice")).PendingSignIns.Should().HaveCount(2);

        var first = await host.SignIn.SecondFactorSignInAsync(laptop, host.CodeFor(enrolled.Secret));
        host.NextStep();
        var second = await host.SignIn.SecondFactorSignInAsync(phone, host.CodeFor(enrolled.Secret));

        first.Status.Should().Be(SignInStatus.Succeeded, "the second password step did not void the first ticket");
        second.Status.Should().Be(SignInStatus.Succeeded);
        (await host.GetUserAsync("alice")).PendingSignIns.Should().BeEmpty("each success spent its own ticket");
    }

    [Test]
    public async Task ASpentTicket_NeverCompletesAgain_WhileTheOtherStaysLive()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var laptop = await host.TicketAsync("alice");
        var phone = await host.TicketAsync("alice");

        (await host.SignIn.SecondFactorSignInAsync(laptop, host.CodeFor(enrolled.Secret))).Status.Should().Be(SignInStatus.Succeeded);
        host.NextStep();

        var replay = await host.SignIn.SecondFactorSignInAsync(laptop, host.CodeFor(enrolled.Secret));
        replay.ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
        (await host.SignIn.RecoveryCodeSignInAsync(phone, enrolled.RecoveryCodes[0])).Status.Should().Be(SignInStatus.Succeeded);
    }

    [Test]
    public async Task BeyondTheMaximum_TheOldestTicketGivesWay()
    {
        using var host = await TwoFactorTestHost.CreateAsync(o => o.SignIn.MaxPendingSignIns = 3);
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var tickets = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            tickets.Add(await host.TicketAsync("alice"));
            host.Time.Advance(TimeSpan.FromSeconds(1));
        }

        (await host.GetUserAsync("alice")).PendingSignIns.Should().HaveCount(3);
        (await host.SignIn.SecondFactorSignInAsync(tickets[0], host.CodeFor(enrolled.Secret))).ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
        (await host.SignIn.SecondFactorSignInAsync(tickets[3], host.CodeFor(enrolled.Secret))).Status.Should().Be(SignInStatus.Succeeded);
    }

    [Test]
    public async Task ExpiredTickets_AreDroppedAtTheNextPasswordStep()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        await host.EnableTwoFactorAsync("alice");
        await host.TicketAsync("alice");
        await host.TicketAsync("alice");
        host.Time.Advance(TimeSpan.FromMinutes(6));

        await host.TicketAsync("alice");

        (await host.GetUserAsync("alice")).PendingSignIns.Should().ContainSingle();
    }

    [Test]
    public async Task AStampChange_VoidsEveryTicket()
    {
        using var host = await TwoFactorTestHost.CreateAsync();
        await host.CreateUserAsync("alice");
        var enrolled = await host.EnableTwoFactorAsync("alice");
        var laptop = await host.TicketAsync("alice");
        var phone = await host.TicketAsync("alice");

        await host.UpdateUserAsync("alice", u => u with { SecurityStamp = "changed-elsewhere-0123456789abcdef" });

        (await host.SignIn.SecondFactorSignInAsync(laptop, host.CodeFor(enrolled.Secret))).ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
        (await host.SignIn.SecondFactorSignInAsync(phone, host.CodeFor(enrolled.Secret))).ErrorCode.Should().Be(SecurityErrorCodes.InvalidTicket);
    }
}

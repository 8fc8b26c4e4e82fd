using AccountSecurity.BreachedPasswords.Tests.TestSupport;
using AccountSecurity.Passwords.Change;
using AccountSecurity.Passwords.Policy;
using AccountSecurity.SignIn;
using AccountSecurity.Testing;
using Microsoft.AspNetCore.Http;

namespace AccountSecurity.BreachedPasswords.Tests;

/// <summary>
/// Only the 5-character prefix ever leaves: across verdicts, timeouts, server errors, malformed answers and the
/// sign-in check, the password, its full SHA-1 and its suffix appear in no request, log line, event, metric tag,
/// notification or exception.
/// </summary>
public sealed class NoSecretLeavesTests
{
    [Test]
    public async Task ThePasswordItsHashAndSuffix_NeverAppearAnywhere()
    {
        await using var server = await RangeServer.StartAsync();
        server.Breached[BreachTestHost.BreachedPassword] = 5;
        server.Breached[BreachTestHost.InitialPassword] = 1;
        var mode = 0;
        server.Respond = async (context, prefix, _) =>
        {
            switch (Volatile.Read(ref mode))
            {
                case 1:
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    break;
                case 2:
                    await context.Response.WriteAsync("junk line\r\n" + server.PaddedAnswer(prefix, padding: 5) + "\r\n" + new string('Z', 40));
                    break;
                default:
                    await context.Response.WriteAsync(server.PaddedAnswer(prefix));
                    break;
            }
        };

        var secrets = new List<string>();
        void Remember(string password)
        {
            var range = PasswordHashRange.Of(password);
            secrets.AddRange([password, range.Suffix, range.Prefix + range.Suffix]);
        }

        string[] passwords = [BreachTestHost.InitialPassword, BreachTestHost.BreachedPassword, BreachTestHost.CleanPassword, "Quartz#Lantern-3390"];
        foreach (var password in passwords)
        {
            Remember(password);
        }

        var exceptions = new List<Exception>();
        BreachTestHost? host = null;
        try
        {
            // The accounts are created while the server answers 500s (unavailable: allowed), so the initial password passes.
            Volatile.Write(ref mode, 1);
            host = await BreachTestHost.CreateAsync(o =>
            {
                o.ApiBaseAddress = server.BaseAddress;
                o.RequestTimeout = TimeSpan.FromMilliseconds(500);
                o.MaxRetries = 1;
                o.CheckAtSignIn = true;
                o.CacheSize = 0;
            });
            var change = host.Get<IPasswordChangeService>();
            var session = TestSessions.Of(BreachTestHost.UserId);

            Volatile.Write(ref mode, 0);
            (await change.ChangePasswordAsync(session, BreachTestHost.InitialPassword, BreachTestHost.BreachedPassword, BreachTestHost.BreachedPassword)).ErrorCode.Should().Be(AccountSecurity.Results.SecurityErrorCodes.PasswordBreached);
            Volatile.Write(ref mode, 2);
            await host.Get<IEnumerable<IAsyncPasswordRule>>().Single().ValidateAsync("Quartz#Lantern-3390", CancellationToken.None);
            Volatile.Write(ref mode, 0);
            (await host.Get<ISignInService>().PasswordSignInAsync(BreachTestHost.UserEmail, BreachTestHost.InitialPassword)).Succeeded.Should().BeTrue();
            await BreachTestHost.WaitUntilAsync(() => Task.FromResult(host.Senders.Notifications.Any(n => n.Kind == AccountSecurity.Notifications.SecurityNotificationKind.PasswordFoundInBreach)), "the sign-in check told the owner");
            (await change.ChangePasswordAsync(session, BreachTestHost.InitialPassword, BreachTestHost.CleanPassword, BreachTestHost.CleanPassword)).Succeeded.Should().BeTrue();
        }
        catch (Exception exception)
        {
            exceptions.Add(exception);
        }

        exceptions.Should().BeEmpty("nothing throws out of the check");
        host.Should().NotBeNull();
        await using (host)
        {
            var everything = server.Requests.Select(r => r.AllText())
                .Concat(host!.Logs.AllText())
                .Concat(host.Events.AllText())
                .Concat(host.MetricTags)
                .Concat(host.Senders.Notifications.Select(n => n.Subject + "\n" + n.Body))
                .ToList();
            everything.Should().NotBeEmpty();
            server.Requests.Should().NotBeEmpty();
            host.Logs.AllText().Should().Contain(t => t.Contains("could not answer"), "the unavailable source was logged, with its prefix only");
            foreach (var text in everything)
            {
                foreach (var secret in secrets)
                {
                    text.Should().NotContainEquivalentOf(secret);
                }
            }
        }
    }
}

using AccountSecurity.Accounts.Invitations;
using Microsoft.Extensions.DependencyInjection;

namespace AccountSecurity.PackageExamples;

/// <summary>The ASP.NET Core README's "Creating users": an invitation sender and the switches that map the endpoints.</summary>
public static class UserCreationExample
{
    /// <summary>Registers the sender, opts in to the invitation endpoints and (optionally) to self-registration.</summary>
    public static IServiceCollection Configure(IServiceCollection services, byte[] key)
    {
        // snippet:begin user-creation
        services.AddSingleton<IAccountInvitationSender, InvitationMailer>();  // required once any of the endpoints is mapped
        services.AddAccountSecurity(options =>
            {
                options.SecretProtection.AddKey("2026-11", key);
                options.Totp.Issuer = "Example Cloud";
                options.Registration.Enabled = true;                          // POST /register (off by default)
                options.Registration.InvitationLifetime = TimeSpan.FromHours(72);
            })
            .AddAspNetCore(http => http.MapUserCreationEndpoints = true);    // POST /admin/users, /invitations/accept
        // snippet:end
        return services;
    }
}

/// <summary>Delivers invitation links and "you already have an account" notices; never logs the token.</summary>
internal sealed class InvitationMailer : IAccountInvitationSender
{
    public ValueTask SendInvitationAsync(AccountInvitationMessage message, CancellationToken cancellationToken)
    {
        // Queue a mail to message.Email with a link such as https://app.example/invite#token=…; the page posts the
        // token with the chosen password to POST {prefix}/invitations/accept.
        _ = Uri.EscapeDataString(message.Token);
        return ValueTask.CompletedTask;
    }

    public ValueTask SendAccountExistsNoticeAsync(AccountExistsNotice notice, CancellationToken cancellationToken)
    {
        // Tell notice.Email that it already has an account: sign in, or reset the password.
        return ValueTask.CompletedTask;
    }
}

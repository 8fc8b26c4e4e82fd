using AccountSecurity.Stores;
using AccountSecurity.WebSample;

// "Password & Security" and "Users & Groups" of a cloud console, on the AccountSecurity library.
var app = WebSampleApp.Build(args);
await app.StartAsync();
DemoAccounts.PrintTo(Console.Out, WebSampleApp.ListeningAddresses(app));
await app.WaitForShutdownAsync();

/// <summary>The entry point; also what a WebApplicationFactory-style test host would look for.</summary>
public partial class Program
{
    /// <summary>
    /// The one place where the stores are chosen. The in-memory stores lose everything at shutdown; swap these two
    /// lines for a durable store package (registered before AddAccountSecurity, whose TryAdd keeps them).
    /// </summary>
    internal static void AddStores(IServiceCollection services)
    {
        services.AddSingleton<IUserStore, InMemoryUserStore>();
        services.AddSingleton<IContractStore, InMemoryContractStore>();
    }
}

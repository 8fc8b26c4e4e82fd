using AccountSecurity.WebSample;

// "Password & Security" and "Users & Groups" of a cloud console, on the AccountSecurity library.
var app = WebSampleApp.Build(args);
await app.StartAsync();
DemoAccounts.PrintTo(Console.Out, WebSampleApp.ListeningAddresses(app), app.Services.GetRequiredService<SampleStorage>());
await app.WaitForShutdownAsync();

/// <summary>The entry point; also what a WebApplicationFactory-style test host would look for.</summary>
public partial class Program
{
}

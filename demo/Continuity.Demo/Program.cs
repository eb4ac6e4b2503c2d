// DEMO ONLY: starts the demo stand-ins and the real gateway. See README "Trying the demo".
//   dotnet run --project demo/Continuity.Demo [-- --data-dir DIR] [--ports free] [--no-mail]
using Continuity.Demo.Launcher;

return await DemoLauncher.RunAsync(args);

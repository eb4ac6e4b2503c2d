using Continuity.Gateway.Cli;

return await ContinuityCli.RunAsync(args, Console.Out, Console.Error);

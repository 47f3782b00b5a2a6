import CommandLineInterface

// Every command, option and report lives in CommandLineInterface; the executable only runs the root command.
await SFTPIdP.runFromCommandLine()

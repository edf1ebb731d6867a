/** Further CLI commands, registered by name (replay, simulate, period close, …). */
export interface CliCommand {
  name: string;
  sub?: string;
  usage: string;
  summary: string;
  run(args: string[]): Promise<number>;
}

export const extraCommands: CliCommand[] = [];

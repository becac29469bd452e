import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const COLORS = [36, 32, 35, 33, 34, 96, 92, 95, 93, 94];

/** One platform process with its output prefixed, and the last lines kept for error reports. */
export class AppProcess {
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    args: readonly string[],
    env: NodeJS.ProcessEnv,
    cwd: string,
    index: number,
    write: ((line: string) => void) | undefined,
  ) {
    this.child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const label = `\u001b[${COLORS[index % COLORS.length] ?? 36}m${name.padEnd(14)}\u001b[0m|`;
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > 50) this.tail.shift();
        write?.(`${label} ${pretty(line)}`);
      });
    }
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  lastLines(): string[] {
    return [...this.tail];
  }

  /** Sends `signal` (SIGKILL: no clean-up at all) and resolves once the process has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not stopped after the grace period. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Runs a one-off command (`migrate`) to completion; rejects with its output on failure. */
export function runOnce(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${name} ${args.slice(1).join(' ')} failed:\n${summarise(output)}`));
    });
  });
}

function summarise(output: string): string {
  return output
    .trim()
    .split('\n')
    .slice(-5)
    .map((line) => `  ${pretty(line)}`)
    .join('\n');
}

/** A JSON log line as `level message key=value ...`; anything else unchanged. */
export function pretty(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    const {
      time: _time,
      level,
      app: _app,
      msg,
      context,
      ...rest
    } = JSON.parse(line) as Record<string, unknown>;
    const fields = Object.entries(rest)
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const where = typeof context === 'string' ? `[${context}] ` : '';
    return `${String(level).padEnd(5)} ${where}${typeof msg === 'string' ? msg : JSON.stringify(msg)}${fields === '' ? '' : ` ${fields}`}`;
  } catch {
    return line;
  }
}

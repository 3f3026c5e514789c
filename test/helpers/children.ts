import { spawn, type ChildProcess } from 'node:child_process';
import { accepts } from './ports.js';

/** Ask a child process to stop (SIGTERM unless told otherwise), SIGKILL it after `graceMs`, and wait until it has exited. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

/** Check `condition` every 25 ms until it holds; past `timeoutMs`, throw `message()`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, message: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(message());
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Wait until `child` accepts connections on every one of `ports` on loopback; throws at once if it exits first. */
export async function waitForListening(child: ChildProcess, ports: readonly number[], what: string, timeoutMs: number, log: () => string = () => ''): Promise<void> {
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}: ${log()}`);
      for (const port of ports) if (!(await accepts(port))) return false;
      return true;
    },
    timeoutMs,
    () => `${what} did not listen on ${ports.join(', ')} within ${timeoutMs} ms: ${log()}`,
  );
}

export interface ChildOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run a program with its output piped and collected until it closes; SIGKILL after `timeoutMs`. */
export function runChild(file: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.js';
import { testPki } from './helpers/pki.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const HEAVY = /node_modules\/(undici|node-forge|pac-resolver|quickjs-wasi)\//;

/**
 * The packages a command loaded: run the compiled CLI (the module graph the
 * bundle keeps, lazy imports and all) and list, afterwards, every network or
 * certificate library in the module cache (they are CommonJS, so an import of
 * them lands there).
 */
function runLoading(args: readonly string[]): { loaded: string[]; stdout: string } {
  const script = `
    import { createRequire } from 'node:module';
    const { main } = await import(${JSON.stringify(CLI)});
    await main(['node', 'siths-doctor', ...${JSON.stringify(args)}]);
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => ${HEAVY}.test(f)).map((f) => f.match(${HEAVY})[1]);
    process.stderr.write('LOADED ' + JSON.stringify([...new Set(loaded)].sort()) + '\\n');
    process.exit(0);
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } });
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  if (!line) throw new Error(`no module list (exit ${r.status}): ${r.stderr}`);
  return { loaded: JSON.parse(line.slice('LOADED '.length)) as string[], stdout: r.stdout };
}

function heavyPackagesLoadedBy(args: readonly string[]): string[] {
  return runLoading(args).loaded;
}

/** A valid support code, from the tool itself. */
function supportCode(): string {
  const r = spawnSync(process.execPath, [BIN, 'check', '--offline', '--format', 'json'], { encoding: 'utf8', env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } });
  return (JSON.parse(r.stdout) as { summary: { supportCode: string } }).summary.supportCode;
}

describe('each command loads what it needs and nothing more', () => {
  it.each([[['--version']], [['list-checks']], [['help']], [['help', 'check']]])('%j loads no network or certificate library', (args) => {
    expect(heavyPackagesLoadedBy(args)).toEqual([]);
  });

  it('explain CODE loads no network or certificate library', () => {
    expect(heavyPackagesLoadedBy(['explain', supportCode()])).toEqual([]);
  });

  it('check --offline loads neither: no check that needs them runs', () => {
    expect(heavyPackagesLoadedBy(['check', '--offline'])).toEqual([]);
  });

  it('cert --cert reads the certificate with neither: src/der.ts reads it', () => {
    const { loaded, stdout } = runLoading(['cert', '--cert', testPki().path('card-hsa-auth-valid.pem'), '--format', 'json']);
    expect(loaded).toEqual([]);
    // The certificate check did run and read the certificate.
    const report = JSON.parse(stdout) as { checks: { id: string; details: { certificates: { key: unknown }[] } }[] };
    expect(report.checks.find((c) => c.id === 'card-cert')?.details.certificates[0]?.key).toEqual({ type: 'RSA', bits: 2048 });
  });
});

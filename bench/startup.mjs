#!/usr/bin/env node
// Start-up time: `--version`, `explain CODE` and `check --offline` for the npm
// entry point (node bin/siths-doctor.js) and the Linux executable, each against
// its bare runtime (`node -e 0`, the pinned runtime binary with `-e 0`) in the
// same run, median of 10, runs interleaved so machine load hits all alike.
// Also the executables' sizes. Run after `npm run build` (and `npm run package`
// for the executable's rows): `npm run bench:startup`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const BIN = path.join(ROOT, 'bin', 'siths-doctor.js');
const EXE = path.join(ROOT, 'release', 'siths-doctor-linux-x64');
const WIN_EXE = path.join(ROOT, 'release', 'siths-doctor-win-x64.exe');
const TARGETS = { version: 80, check: 250 };

function run(command, args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.error) throw r.error;
  return { ms, stdout: r.stdout, status: r.status };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// A valid support code, from the tool itself.
const report = JSON.parse(run(process.execPath, [BIN, 'check', '--offline', '--format', 'json']).stdout);
const code = report.summary.supportCode;

const subjects = [{ name: 'npm (node bin/siths-doctor.js)', bare: [process.execPath, ['-e', '0']], cmd: [process.execPath, [BIN]] }];
if (existsSync(EXE)) {
  const runtime = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'node-runtime.mjs'), 'linux-x64'], { encoding: 'utf8' }).stdout.trim();
  subjects.push({ name: 'linux executable', bare: [runtime, ['-e', '0']], cmd: [EXE, []] });
} else {
  console.log(`(no ${path.relative(ROOT, EXE)}: run "npm run package" for the executable's rows)`);
}
const cases = [
  { name: '--version', args: ['--version'], target: TARGETS.version },
  { name: `explain ${code}`, args: ['explain', code] },
  { name: 'check --offline', args: ['check', '--offline'], target: TARGETS.check },
];

const rows = [];
let failed = false;
for (const s of subjects) {
  const times = { bare: [], checks: [], ...Object.fromEntries(cases.map((c) => [c.name, []])) };
  for (let i = 0; i < RUNS; i++) {
    times.bare.push(run(...s.bare).ms);
    for (const c of cases) times[c.name].push(run(s.cmd[0], [...s.cmd[1], ...c.args]).ms);
    // The time the checks themselves took (the report's durationMs): not start-up, and it depends on
    // the machine (no pcscd running costs the pcsc-service check a retry).
    times.checks.push(JSON.parse(run(s.cmd[0], [...s.cmd[1], 'check', '--offline', '--format', 'json']).stdout).durationMs);
  }
  const bare = median(times.bare);
  rows.push([s.name, 'bare runtime (-e 0)', bare.toFixed(0), '', '']);
  for (const c of cases) {
    const m = median(times[c.name]);
    const over = m - bare;
    const target = c.target;
    const verdict = target === undefined ? '' : over <= target ? `ok (target +${target})` : `OVER (target +${target})`;
    if (target !== undefined && over > target) failed = true;
    rows.push([s.name, c.name, m.toFixed(0), `+${over.toFixed(0)}`, verdict]);
  }
  // Where the time of check --offline goes: the checks themselves (their helper processes start with the run), and the rest.
  const checks = median(times.checks);
  rows.push([s.name, `  of which the checks ran (report durationMs)`, checks.toFixed(0), '', '']);
  rows.push([s.name, `  of which start-up and exit`, '', `+${(median(times['check --offline']) - checks - bare).toFixed(0)}`, '']);
}

console.log(`\nmedian of ${RUNS} runs, ms (node ${process.version}):`);
const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
for (const file of [EXE, WIN_EXE]) {
  if (existsSync(file)) console.log(`${path.basename(file)}: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MiB`);
}
process.exitCode = failed ? 1 : 0;

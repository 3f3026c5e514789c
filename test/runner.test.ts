import { describe, expect, it } from 'vitest';
import { msg } from '../src/i18n/index.js';
import type { Probe, ProbeOutcome } from '../src/model.js';
import { defaultOptions } from '../src/options.js';
import { renderReport } from '../src/report/index.js';
import { runProbes, selectProbes, UsageError } from '../src/runner.js';
import { testSystem } from './helpers/system.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function probe(id: string, run: Probe['run'], extra: Partial<Probe> = {}): Probe {
  return { id, title: msg(`T-${id}`, `T-${id}`), description: msg('d', 'd'), run, ...extra };
}
const outcome = (status: ProbeOutcome['status']): ProbeOutcome => ({ status, summary: msg(status, status) });
const returns = (status: ProbeOutcome['status'], delayMs = 0) => async () => {
  if (delayMs) await sleep(delayMs);
  return outcome(status);
};

async function run(probes: Probe[], opts: Partial<ReturnType<typeof defaultOptions>> = {}, skip: string[] = []) {
  const options = defaultOptions(opts);
  return runProbes({ probes, options, system: testSystem(), skip });
}

describe('selectProbes', () => {
  const registry = [
    probe('a', returns('pass')),
    probe('b', returns('pass'), { dependsOn: ['a'] }),
    probe('c', returns('pass'), { dependsOn: ['b'] }),
    probe('d', returns('pass')),
  ];

  it('adds prerequisites transitively and keeps registry order', () => {
    expect(selectProbes(registry, { ids: ['c'] }, defaultOptions()).map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(selectProbes(registry, { ids: ['d', 'b'] }, defaultOptions()).map((p) => p.id)).toEqual(['a', 'b', 'd']);
  });

  it('selects everything when no ids are given', () => {
    expect(selectProbes(registry, {}, defaultOptions()).map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('rejects unknown ids, in --skip too, naming the known ones', () => {
    expect(() => selectProbes(registry, { ids: ['x'] }, defaultOptions())).toThrow(UsageError);
    expect(() => selectProbes(registry, { skip: ['nope'] }, defaultOptions())).toThrow(/Unknown check: nope\. Known checks: a, b, c, d\./);
  });

  it('reports a dependency cycle as a programming error', () => {
    const cyclic = [probe('x', returns('pass'), { dependsOn: ['y'] }), probe('y', returns('pass'), { dependsOn: ['x'] })];
    expect(() => selectProbes(cyclic, {}, defaultOptions())).toThrow(/cycle/);
  });

  it('lets dependencies depend on the options', () => {
    const withOption = [probe('card', returns('pass')), probe('cert', returns('pass'), { dependsOn: (o) => (o.offline ? [] : ['card']) })];
    expect(selectProbes(withOption, { ids: ['cert'] }, defaultOptions()).map((p) => p.id)).toEqual(['card', 'cert']);
    expect(selectProbes(withOption, { ids: ['cert'] }, defaultOptions({ offline: true })).map((p) => p.id)).toEqual(['cert']);
  });
});

describe('runProbes', () => {
  it('prepares, when the run starts, every probe not skipped up front, and lets go of what was prepared when it ends', async () => {
    const events: string[] = [];
    const prepared = (id: string): Partial<Probe> => ({
      prepare: () => {
        events.push(`prepare ${id}`);
        return () => events.push(`release ${id}`);
      },
    });
    const results = await run(
      [
        probe('first', async () => (events.push('run first'), outcome('fail'))),
        probe('later', async () => (events.push('run later'), outcome('pass')), { dependsOn: ['first'], ...prepared('later') }),
        probe('other', async () => (events.push('run other'), outcome('pass')), { uses: ['first'], ...prepared('other') }),
        probe('asked-off', returns('pass'), prepared('asked-off')),
        probe('net', returns('pass'), { network: true, ...prepared('net') }),
        probe('elsewhere', returns('pass'), { platforms: ['aix'], ...prepared('elsewhere') }),
      ],
      { offline: true },
      ['asked-off'],
    );
    // `later` was prepared (its prerequisite could have passed), then skipped: its release still comes.
    expect(results.map((r) => [r.id, r.status])).toEqual([['first', 'fail'], ['later', 'skip'], ['other', 'pass'], ['asked-off', 'skip'], ['net', 'skip'], ['elsewhere', 'skip']]);
    expect(events).toEqual(['prepare later', 'prepare other', 'run first', 'run other', 'release later', 'release other']);
  });

  it('skips a probe whose prerequisite failed, naming the prerequisite', async () => {
    let ranB = false;
    const results = await run([
      probe('a', returns('fail')),
      probe('b', async () => ((ranB = true), outcome('pass')), { dependsOn: ['a'] }),
      probe('c', returns('pass'), { dependsOn: ['b'] }),
    ]);
    expect(ranB).toBe(false);
    expect(results.map((r) => r.status)).toEqual(['fail', 'skip', 'skip']);
    expect(results[1]!.summary.en).toBe('Skipped because “T-a” failed.');
    expect(results[1]!.summary.sv).toBe('Kontrollerades inte eftersom ”T-a” inte gick igenom.');
    expect(results[1]!.details).toEqual({ skipReason: 'prerequisite', prerequisite: 'a', prerequisiteStatus: 'fail' });
    expect(results[2]!.summary.en).toBe('Skipped because “T-b” was skipped.');
  });

  it('runs a probe whose prerequisite only warned', async () => {
    const results = await run([probe('a', returns('warn')), probe('b', returns('pass'), { dependsOn: ['a'] })]);
    expect(results.map((r) => r.status)).toEqual(['warn', 'pass']);
  });

  it('skips dependents of an errored prerequisite', async () => {
    const results = await run([probe('a', returns('error')), probe('b', returns('pass'), { dependsOn: ['a'] })]);
    expect(results[1]!.status).toBe('skip');
    expect(results[1]!.summary.en).toBe('Skipped because “T-a” could not be checked.');
  });

  it('runs independent probes concurrently', async () => {
    let active = 0;
    let maxActive = 0;
    const busy = async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(100);
      active--;
      return outcome('pass');
    };
    await run([probe('a', busy), probe('b', busy), probe('c', busy)]);
    // All three at once: measured, not inferred from the wall clock.
    expect(maxActive).toBe(3);
  });

  it('starts a dependent as soon as its own prerequisite is done, not when everything is', async () => {
    // "slow" finishes only once "after-fast" has started: a runner that waited for everything would never get there.
    let afterFastStarted!: () => void;
    const gate = new Promise<void>((resolve) => (afterFastStarted = resolve));
    const results = await run([
      probe('fast', async () => outcome('pass')),
      probe('slow', async () => (await gate, outcome('pass'))),
      probe('after-fast', async () => (afterFastStarted(), outcome('pass')), { dependsOn: ['fast'] }),
    ]);
    expect(results.map((r) => `${r.id} ${r.status}`)).toEqual(['fast pass', 'slow pass', 'after-fast pass']);
  });

  it('turns a throwing probe into error with a readable message and no stack', async () => {
    const results = await run([
      probe('boom', async () => {
        throw new Error('card exploded');
      }),
      probe('sync-boom', () => {
        throw new TypeError('not a function');
      }),
    ]);
    expect(results[0]!.status).toBe('error');
    expect(results[0]!.summary.en).toBe('The check could not complete: card exploded');
    expect(results[0]!.details).toEqual({ error: 'card exploded' });
    expect(results[1]!.status).toBe('error');
    expect(results[1]!.summary.en).toContain('not a function');
  });

  it('keeps the stack trace in details with --verbose', async () => {
    const results = await run([probe('boom', async () => Promise.reject(new Error('kaboom')))], { verbose: true });
    expect((results[0]!.details as { stack?: string }).stack).toMatch(/Error: kaboom\n\s+at /);
  });

  it('treats a probe that returns nonsense as an error', async () => {
    const results = await run([probe('bad', async () => ({ status: 'maybe' }) as unknown as ProbeOutcome)]);
    expect(results[0]!.status).toBe('error');
  });

  it('stops a hanging probe at its budget, aborts its signal and reports it as timed out', async () => {
    let aborted = false;
    const results = await run(
      [
        probe('hang', (ctx) => {
          ctx.signal.addEventListener('abort', () => (aborted = true));
          return new Promise(() => undefined);
        }),
      ],
      { timeoutMs: 200 },
    );
    expect(results[0]!.status).toBe('error');
    // The budget is the run's (timeout + 1 s) less the moment the probe started: at most 1200 ms.
    expect(results[0]!.summary.en).toBe('The check was stopped after 1.2 s without an answer.');
    const { timedOut, budgetMs } = results[0]!.details as { timedOut: boolean; budgetMs: number };
    expect(timedOut).toBe(true);
    expect(budgetMs).toBeLessThanOrEqual(1200);
    expect(budgetMs).toBeGreaterThan(1100);
    expect(aborted).toBe(true);
  });

  it('ends within about the timeout plus one second when everything hangs', async () => {
    const hang = () => new Promise<ProbeOutcome>(() => undefined);
    const probes = [
      probe('a', hang),
      probe('b', hang),
      probe('c', hang, { dependsOn: ['a'] }),
      probe('d', hang, { dependsOn: ['c'] }),
      probe('e', hang, { uses: ['b'] }),
      probe('f', hang, { network: true }),
    ];
    const t0 = performance.now();
    const results = await run(probes, { timeoutMs: 500 });
    const elapsed = performance.now() - t0;
    // a, b, f are stopped together at the run's end; c and d skip; e, after b, has no time left.
    expect(results.map((r) => r.status)).toEqual(['error', 'error', 'skip', 'skip', 'error', 'error']);
    // Every stopped probe had at most the run's budget; the wall time only has to be far from a hang.
    for (const r of results.filter((x) => x.status === 'error')) expect((r.details as { budgetMs: number }).budgetMs).toBeLessThanOrEqual(1500);
    expect(elapsed).toBeGreaterThanOrEqual(1450);
    expect(elapsed).toBeLessThan(500 + 1000 + 5000);
  });

  it('gives a probe that starts late only what is left of the run', async () => {
    const hang = () => new Promise<ProbeOutcome>(() => undefined);
    // "late" starts when "first" is done at 500 ms and gets the 1 s left of a 500 + 1000 ms run.
    const t0 = performance.now();
    const results = await run([probe('first', returns('pass', 500)), probe('late', hang, { uses: ['first'] })], { timeoutMs: 500 });
    const elapsed = performance.now() - t0;
    expect(results.map((r) => r.status)).toEqual(['pass', 'error']);
    // What is left of the run when "first" is done: never more than the 1 s after its 500 ms, and it still ends at the run's deadline.
    const budgetMs = (results[1]!.details as { budgetMs: number }).budgetMs;
    expect(budgetMs).toBeGreaterThan(0);
    expect(budgetMs).toBeLessThanOrEqual(1000);
    expect(budgetMs + results[0]!.durationMs).toBeLessThanOrEqual(1500 + 50);
    expect(elapsed).toBeGreaterThanOrEqual(1450);
    expect(elapsed).toBeLessThan(1500 + 5000);
  });

  it('skips network probes offline, and --skip ids on request', async () => {
    const results = await run(
      [probe('net', returns('pass'), { network: true }), probe('local', returns('pass')), probe('dep', returns('pass'), { dependsOn: ['local'] })],
      { offline: true },
      ['local'],
    );
    expect(results.map((r) => [r.id, r.status, (r.details as { skipReason?: string }).skipReason])).toEqual([
      ['net', 'skip', 'offline'],
      ['local', 'skip', 'requested'],
      ['dep', 'skip', 'prerequisite'],
    ]);
  });

  it('orders by uses without skipping, and shows a probe only the results it asked for', async () => {
    const card = probe('card', returns('fail'));
    const other = probe('other', returns('pass'));
    let seen: (string | undefined)[] = [];
    await run([
      card,
      other,
      probe('token', async (ctx) => {
        seen = [ctx.resultOf(card)?.status, ctx.resultOf(other)?.status];
        return outcome('pass');
      }, { uses: ['card'] }),
    ]);
    expect(seen).toEqual(['fail', undefined]);
  });

  it('hands over typed details and the handover, but not the details of a check the runner skipped', async () => {
    const card: Probe<{ cards: number }, { busy: string }> = {
      ...probe('card', returns('pass')),
      run: async () => ({ status: 'pass', summary: msg('', ''), details: { cards: 2 }, handover: { busy: 'held' } }),
    };
    const net = probe('net', async () => ({ status: 'pass', summary: msg('', ''), details: { own: true } }), { network: true });
    let seen: unknown[] = [];
    const results = await run(
      [
        card,
        net,
        probe('reader', async (ctx) => {
          const c = ctx.resultOf(card);
          seen = [c?.details?.cards, c?.handover?.busy, ctx.resultOf(net)?.status, ctx.resultOf(net)?.details];
          return outcome('pass');
        }, { uses: ['card', 'net'] }),
      ],
      { offline: true },
    );
    expect(seen).toEqual([2, 'held', 'skip', undefined]);
    // The report keeps the runner's skip details; only the hand-over to probes leaves them out.
    expect(results[1]!.details).toEqual({ skipReason: 'offline' });
    // The handover is for probes: no report format carries it.
    const report = { tool: { name: 't', version: '0' }, startedAt: new Date(0), durationMs: 0, platform: { os: 'linux', arch: 'x64', node: '22' }, results };
    for (const format of ['json', 'markdown', 'text'] as const) {
      const text = renderReport(report, { format, lang: 'en', showPersonalData: true, colorLevel: 0, verbose: true });
      expect(text).toContain('"cards": 2');
      expect(text).not.toContain('held');
    }
  });

  it('starts a probe that uses a later one as soon as that one is skipped on the spot', async () => {
    // clock uses test-page, which comes later in the registry and is skipped when proxy fails.
    const results = await run([
      probe('clock', returns('pass'), { uses: ['test-page'] }),
      probe('proxy', returns('fail', 10)),
      probe('test-page', returns('pass'), { dependsOn: ['proxy'] }),
    ]);
    expect(results.map((r) => `${r.id} ${r.status}`)).toEqual(['clock pass', 'proxy fail', 'test-page skip']);
  });

  it('measures each probe', async () => {
    const results = await run([probe('a', returns('pass', 50))]);
    expect(results[0]!.durationMs).toBeGreaterThanOrEqual(45);
    expect(results[0]!.durationMs).toBeLessThan(1000);
  });

  it('cancels everything when the run signal aborts', async () => {
    const controller = new AbortController();
    let probeSignal: AbortSignal | undefined;
    const pending = runProbes({
      probes: [
        probe('wait', (ctx) => {
          probeSignal = ctx.signal;
          return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(outcome('error'))));
        }),
      ],
      options: defaultOptions(),
      system: testSystem(),
      signal: controller.signal,
    });
    await sleep(20);
    controller.abort();
    const results = await pending;
    expect(probeSignal?.aborted).toBe(true);
    expect(results[0]!.status).toBe('error');
  });
});

describe('runProbes with a broken registry', () => {
  it('refuses probes that wait for each other through uses instead of hanging', async () => {
    const a = probe('a', returns('pass'), { uses: ['b'] });
    const b = probe('b', returns('pass'), { uses: ['a'] });
    await expect(run([a, b])).rejects.toThrow('probes wait for each other in a cycle: a, b');
    const slow = probe('slow', returns('pass', 50));
    const c = probe('c', returns('pass'), { uses: ['slow', 'd'] });
    const d = probe('d', returns('pass'), { uses: ['c'] });
    await expect(run([slow, c, d])).rejects.toThrow('probes wait for each other in a cycle: c, d');
  });
});

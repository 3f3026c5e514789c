import { describe, expect, it } from 'vitest';
import { dependenciesOf } from '../src/model.js';
import { defaultOptions } from '../src/options.js';
import { PROBES } from '../src/probes/index.js';
import { LAYOUTS } from '../src/support-code.js';

describe('the probe registry', () => {
  const ids = PROBES.map((p) => p.id);
  const optionSets = [defaultOptions(), defaultOptions({ certFiles: ['x.pem'] })];

  it('has unique ids', () => {
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is exactly the current support-code layout, in order (a new check needs a new layout)', () => {
    expect(ids).toEqual([...LAYOUTS.at(-1)!]);
  });

  it('names only registered probes in dependsOn and uses, without cycles', () => {
    for (const options of optionSets) {
      const edges = new Map(PROBES.map((p) => [p.id, [...dependenciesOf(p, options), ...(p.uses ?? [])]]));
      for (const [id, targets] of edges) for (const t of targets) expect(ids, `${id} -> ${t}`).toContain(t);
      const visiting = new Set<string>();
      const done = new Set<string>();
      const visit = (id: string): void => {
        if (done.has(id)) return;
        expect(visiting.has(id), `cycle through ${id}`).toBe(false);
        visiting.add(id);
        for (const t of edges.get(id) ?? []) visit(t);
        visiting.delete(id);
        done.add(id);
      };
      ids.forEach(visit);
    }
  });

  it('gives every probe a Swedish and an English title and description', () => {
    for (const p of PROBES) {
      for (const text of [p.title, p.description]) {
        expect(text.sv.trim(), p.id).not.toBe('');
        expect(text.en.trim(), p.id).not.toBe('');
      }
      expect(p.description.sv, p.id).not.toBe(p.description.en);
    }
  });
});

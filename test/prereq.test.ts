import { describe, expect, it } from 'vitest';
import { missingPrerequisites } from './helpers/prereq.js';

describe('prerequisite lookup', () => {
  it('finds programs on PATH and in sbin, and absolute files', () => {
    expect(missingPrerequisites([{ need: 'node', debianPackage: 'nodejs' }])).toEqual([]);
    expect(missingPrerequisites([{ need: process.execPath, debianPackage: 'nodejs' }])).toEqual([]);
  });

  it('reports what is missing with its package', () => {
    const missing = missingPrerequisites([{ need: 'definitely-not-installed-xyz', debianPackage: 'xyz' }]);
    expect(missing).toEqual([{ need: 'definitely-not-installed-xyz', debianPackage: 'xyz' }]);
  });
});

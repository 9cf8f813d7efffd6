import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const dir = join(import.meta.dirname, '../.github/workflows');
const files = readdirSync(dir).filter((file) => /\.ya?ml$/.test(file));

describe('GitHub Actions workflows', () => {
  it('exist: ci and release', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']));
  });

  it.each(files)('%s is valid against the workflow schema', (file) => {
    const state = validateWorkflow(readFileSync(join(dir, file), 'utf8'));
    expect(state.errors).toEqual([]);
  });

  it('the validator does reject a broken workflow', () => {
    const state = validateWorkflow(
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz: []\n',
    );
    expect(state.errors.length).toBeGreaterThan(0);
  });

  it('build both platforms with attestations, and leave `latest` to the tag policy', () => {
    const release = parse(readFileSync(join(dir, 'release.yml'), 'utf8'));
    const steps = release.jobs.image.steps;
    const build = steps.find((step) => String(step.uses).startsWith('docker/build-push-action'));
    expect(build.with.platforms).toBe('linux/amd64,linux/arm64');
    expect(build.with.provenance).toBeTruthy();
    expect(build.with.sbom).toBe(true);
    expect(build.with.tags).toContain('steps.policy.outputs.tags');
    expect(steps.some((step) => String(step.run).includes('scripts/tag-policy.mjs'))).toBe(true);
    const ci = parse(readFileSync(join(dir, 'ci.yml'), 'utf8'));
    expect(Object.keys(ci.jobs.test.services).sort()).toEqual(['postgres', 'redis']);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileError, defaultProfile, loadProfileFile, mergeProfile } from '../../../emulator/index.js';

function problemsOf(patch: unknown): readonly string[] {
  try {
    mergeProfile(defaultProfile, patch);
  } catch (error) {
    if (error instanceof ProfileError) return error.problems;
    throw error;
  }
  return [];
}

describe('profile validation', () => {
  it.each([
    { when: 'errorRate is above 1', patch: { errorRate: 1.5 }, problems: ['profile.errorRate must be <= 1'] },
    { when: 'accuracy is negative', patch: { accuracy: -0.1 }, problems: ['profile.accuracy must be >= 0'] },
    { when: 'a median is 0', patch: { ttft: { median: 0 } }, problems: ['profile.ttft.median must be > 0'] },
    {
      when: 'a sigma is a string',
      patch: { interTokenLatency: { sigma: '0.2' } },
      problems: ['profile.interTokenLatency.sigma must be number'],
    },
    {
      when: 'maxRunning is fractional',
      patch: { maxRunning: 2.5 },
      problems: ['profile.maxRunning must be integer'],
    },
    { when: 'hang is not a boolean', patch: { hang: 'yes' }, problems: ['profile.hang must be boolean'] },
    {
      when: 'a top-level field is unknown',
      patch: { latency: {} },
      problems: ['profile.latency is not a known field'],
    },
    {
      when: 'a nested field is misspelt',
      patch: { kvCache: { bse: 0.1 } },
      problems: ['profile.kvCache.bse is not a known field'],
    },
    {
      when: 'the preemption threshold is 1',
      patch: { preemption: { threshold: 1 } },
      problems: ['profile.preemption.threshold must be < 1'],
    },
    {
      when: 'several fields are wrong',
      patch: { errorRate: 2, abortRate: -1, outputTokens: { median: -3 } },
      problems: [
        'profile.outputTokens.median must be > 0',
        'profile.errorRate must be <= 1',
        'profile.abortRate must be >= 0',
      ],
    },
    { when: 'the patch is not an object', patch: [1, 2], problems: ['profile must be object'] },
  ])('when $when then the error names the field', ({ patch, problems }) => {
    expect([...problemsOf(patch)].sort()).toEqual([...problems].sort());
  });

  it('when a ProfileError is thrown then its message lists every problem', () => {
    expect(() => mergeProfile(defaultProfile, { errorRate: 2, hang: 1 })).toThrow(
      /^invalid profile: profile\.errorRate must be <= 1; profile\.hang must be boolean$/,
    );
  });

  it('when a nested field is patched then its siblings and the other fields keep their values', () => {
    const merged = mergeProfile(defaultProfile, { ttft: { median: 0.5 }, errorRate: 0.1 });
    expect(merged.ttft).toEqual({ median: 0.5, sigma: defaultProfile.ttft.sigma });
    expect(merged.errorRate).toBe(0.1);
    expect(merged.interTokenLatency).toEqual(defaultProfile.interTokenLatency);
  });

  it('when the default profile is checked then it is valid and unchanged by a merge', () => {
    expect(mergeProfile(defaultProfile, {})).toEqual(defaultProfile);
  });
});

describe('profile files', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'emulator-profile-'));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it.each([
    {
      when: 'the file is YAML',
      name: 'p.yaml',
      text: 'errorRate: 0.05\nttft:\n  median: 0.4\n',
      expected: { errorRate: 0.05, ttft: { median: 0.4 } },
    },
    {
      when: 'the file is JSON',
      name: 'p.json',
      text: '{"maxRunning": 4, "hang": true}',
      expected: { maxRunning: 4, hang: true },
    },
    { when: 'the file is empty', name: 'empty.yaml', text: '', expected: {} },
  ])('when $when then the patch is read', async ({ name, text, expected }) => {
    const path = join(folder, name);
    await writeFile(path, text);
    expect(await loadProfileFile(path)).toEqual(expected);
  });

  it('when the file has a bad field then the error names the file and the field', async () => {
    const path = join(folder, 'bad.yaml');
    await writeFile(path, 'kvCache:\n  perRunning: 3\n');
    await expect(loadProfileFile(path)).rejects.toThrow(`${path}: profile.kvCache.perRunning must be <= 1`);
  });

  it('when the file is not YAML then the error says so', async () => {
    const path = join(folder, 'broken.yaml');
    await writeFile(path, 'a: [1, 2\n');
    await expect(loadProfileFile(path)).rejects.toThrow(`${path}: not valid JSON or YAML`);
  });
});

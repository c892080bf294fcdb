// The group commit's timer is a wake-up of the gateway's CPU (issue 17): it is armed by an arrival, once per
// group, and never left running while nothing is pending.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GroupCommit } from './group-commit.js';

function groupCommit(maxItems = 1000) {
  const commits: number[][] = [];
  const group = new GroupCommit<number, number>({
    windowMs: 5,
    maxItems,
    exclusive: (fn) => fn(),
    commit: async (items) => {
      commits.push([...items]);
      return items.map((n) => n * 10);
    },
  });
  return { group, commits };
}

describe('group commit timer', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('arms one timer for a group and none while nothing is pending', async () => {
    const { group, commits } = groupCommit();
    expect(vi.getTimerCount()).toBe(0);
    const first = group.add([1]);
    const second = group.add([2, 3]);
    expect(vi.getTimerCount()).toBe(1); // the second arrival joins the window of the first
    await vi.advanceTimersByTimeAsync(5);
    expect(await first).toEqual([10]);
    expect(await second).toEqual([20, 30]);
    expect(commits).toEqual([[1, 2, 3]]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000); // an idle minute: nothing fires, nothing is written
    expect(commits).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('commits a full group at once, without a timer', async () => {
    const { group, commits } = groupCommit(3);
    const full = group.add([1, 2, 3]);
    expect(vi.getTimerCount()).toBe(0);
    expect(await full).toEqual([10, 20, 30]);
    expect(commits).toEqual([[1, 2, 3]]);
  });

  it('flushNow commits what is pending and leaves no timer behind', async () => {
    const { group, commits } = groupCommit();
    const pending = group.add([7]);
    await group.flushNow();
    expect(await pending).toEqual([70]);
    expect(vi.getTimerCount()).toBe(0);
    expect(commits).toEqual([[7]]);
  });
});

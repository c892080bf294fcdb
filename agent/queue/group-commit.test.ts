// The group commit's timer is a wake-up of the gateway's CPU (issue 17): a reading that finds the store quiet
// is committed at the end of its turn without one; within a burst a timer is armed once per group, and none
// is left running while nothing is pending.
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

  it('commits the arrivals of one turn on a quiet store at the end of that turn, with no timer', async () => {
    const { group, commits } = groupCommit();
    const first = group.add([1]);
    const second = group.add([2, 3]); // the same turn: the same commit
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersToNextTimerAsync(); // the end of the turn, no time passed
    expect(await first).toEqual([10]);
    expect(await second).toEqual([20, 30]);
    expect(commits).toEqual([[1, 2, 3]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a reading a second arms no timer at all', async () => {
    const { group, commits } = groupCommit();
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    for (let i = 0; i < 5; i++) {
      const done = group.add([i]);
      await vi.advanceTimersToNextTimerAsync();
      expect(await done).toEqual([i * 10]);
      await vi.advanceTimersByTimeAsync(1000); // quiet until the next reading: nothing fires
    }
    expect(setTimeoutSpy).not.toHaveBeenCalled();
    expect(commits).toEqual([[0], [1], [2], [3], [4]]);
    setTimeoutSpy.mockRestore();
  });

  it('within a burst, arms one timer for a group and none while nothing is pending', async () => {
    const { group, commits } = groupCommit();
    await Promise.all([group.add([0]), vi.advanceTimersToNextTimerAsync()]); // the burst's first commit
    const first = group.add([1]);
    const second = group.add([2, 3]);
    expect(vi.getTimerCount()).toBe(1); // the second arrival joins the window of the first
    await vi.advanceTimersByTimeAsync(4);
    expect(commits).toEqual([[0]]); // the window is still open
    await vi.advanceTimersByTimeAsync(1);
    expect(await first).toEqual([10]);
    expect(await second).toEqual([20, 30]);
    expect(commits).toEqual([[0], [1, 2, 3]]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000); // an idle minute: nothing fires, nothing is written
    expect(commits).toHaveLength(2);
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

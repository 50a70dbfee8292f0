import { realClock, VirtualClock } from '../../../functions/commons/clock';

describe('VirtualClock', () => {
  it('jumps over a sleep at once, running the actions scheduled on the way at their own time, in order', async () => {
    // Prepare
    const start = Date.parse('2026-03-02T10:30:00Z');
    const clock = new VirtualClock(start);
    const seen: string[] = [];
    clock.schedule(start + 2_000, async () => void seen.push(`b@${clock.now() - start}`));
    clock.schedule(start + 1_000, async () => void seen.push(`a@${clock.now() - start}`));
    clock.schedule(start + 9_000, async () => void seen.push('late'));

    // Act
    await clock.sleep(5_000);

    // Assess
    expect(seen).toEqual(['a@1000', 'b@2000']);
    expect(clock.now()).toBe(start + 5_000);
    expect(clock.monotonic()).toBe(5_000);
    expect(clock.sleeps).toEqual([5_000]);
  });

  it('keeps its time when its methods are passed on as plain functions', async () => {
    // Prepare
    const clock = new VirtualClock(1_000);
    const { now, monotonic, sleep } = clock;

    // Act
    await sleep(500);

    // Assess
    expect(now()).toBe(1_500);
    expect(monotonic()).toBe(500);
  });

  it('does not move on a sleep whose signal is already aborted, but records it', async () => {
    // Prepare
    const clock = new VirtualClock(0);
    const controller = new AbortController();
    controller.abort();

    // Act
    await clock.sleep(60_000, controller.signal);

    // Assess
    expect(clock.now()).toBe(0);
    expect(clock.sleeps).toEqual([60_000]);
  });
});

describe('realClock', () => {
  it('ends a sleep early, without rejecting, when its signal aborts', async () => {
    // Prepare: a sleep far longer than the test timeout, so only the abort can end it
    const controller = new AbortController();
    const sleeping = realClock.sleep(3_600_000, controller.signal);

    // Act
    controller.abort();

    // Assess
    await expect(sleeping).resolves.toBeUndefined();
  });
});

// What both sides of the HTTP part of `npm run bench -- runner` share. Each side runs in its own process
// from its own bundle (`_runner-side-engine.ts`, `_runner-side-floor.ts`), so its CPU time and peak RSS
// are its own and it loads its own code only. The parent sends `round` messages (interleaving the two
// sides) and `end`; both sides warm up alike and open their connections afresh in every round (the engine
// pools per run, so the floor pools per round); each round answers with its wall and CPU time, `end` with
// the peak RSS (`process.resourceUsage().maxRSS`).

/** What the parent sends first. */
export interface SideInit {
  readonly type: 'init';
  readonly side: 'engine' | 'floor';
  readonly baseUrl: string;
  readonly checks: number;
  readonly concurrency: number;
  /** The response-time assertion's bound, the same on both sides. */
  readonly maxResponseMs: number;
}

/** One round's figures, as the side reports them. */
export interface SideRound {
  readonly type: 'round';
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly failures: number;
}

/** The side's last message. */
export interface SideEnd {
  readonly type: 'end';
  readonly maxRssKb: number;
}

/** One round of a side: runs the checks, resolves with how many failed. */
export type Round = () => Promise<number>;

/** Unmeasured rounds each side runs before the first measured one. */
const WARM_UP_ROUNDS = 5;

const send = (message: SideRound | SideEnd | { type: 'ready' }): void => {
  process.send?.(message);
};

/**
 * Serves one side: `start` prepares its round from the parent's `init`; rounds and `end` follow. Bounded:
 * a side never outlives its parent, nor ten minutes.
 */
export const serveSide = (side: SideInit['side'], start: (init: SideInit) => Promise<Round>): void => {
  process.on('disconnect', () => process.exit(0));
  setTimeout(() => process.exit(1), 600_000).unref();
  let round: Round | undefined;
  process.on('message', (message: SideInit | { type: 'round' } | { type: 'end' }) => {
    void (async () => {
      if (message.type === 'init') {
        if (message.side !== side)
          throw new Error(`this is the ${side} side's bundle, not ${message.side}'s`);
        round = await start(message);
        // Warm-up, the same on both sides: the first rounds still compile (both sides' CPU per check falls
        // over the first five or so rounds of 200 checks), and a check in a warm Lambda runs compiled code.
        for (let warm = 0; warm < WARM_UP_ROUNDS; warm += 1) await round();
        send({ type: 'ready' });
      } else if (message.type === 'round' && round) {
        const cpu = process.cpuUsage();
        const started = performance.now();
        const failures = await round();
        const wallMs = performance.now() - started;
        const used = process.cpuUsage(cpu);
        send({ type: 'round', wallMs, cpuMs: (used.user + used.system) / 1000, failures });
      } else if (message.type === 'end') {
        send({ type: 'end', maxRssKb: process.resourceUsage().maxRSS });
        process.disconnect();
      }
    })().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
};

/** Milliseconds per duration unit of config text (`'250ms'`, `'10s'`, `'5m'`, `'1h'`, `'30d'`). */
export const UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Formats milliseconds back into the shortest exact duration text (`300000` -> `'5m'`). */
export const formatDuration = (ms: number): string => {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms >= UNITS_MS[unit] && ms % UNITS_MS[unit] === 0) return `${ms / UNITS_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
};

/** The current time in milliseconds; injected so tests can move time instead of waiting. */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };

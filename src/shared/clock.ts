// Time comes from an injected clock so tests can fix "now".
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

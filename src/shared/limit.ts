// A bound on how many of one kind of work run at once in this process (the statistics answers): the rest wait their
// turn in arrival order, holding no database connection and none of the work's memory while they wait.

/** Runs at most `n` of the functions given to it at once; the others start in arrival order as slots free up. */
export function concurrencyLimit(n: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    // A freed slot passes straight to the first waiter (active stays the same), so no newcomer can overtake it.
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}

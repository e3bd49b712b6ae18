// What every command-line script starts with: the configuration from the environment, or its message and exit 1.
import { ConfigError, loadConfig, type Config } from '../config.ts';

/** The configuration (with `check` for what one script needs beyond it), or the problem on stderr and exit 1. */
export function configOrExit(check: (config: Config) => void = () => undefined): Config {
  try {
    const config = loadConfig(process.env);
    check(config);
    return config;
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
}

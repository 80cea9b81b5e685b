// The real servers the scale-out suites run against, from scripts/test-servers.mjs (which .ci/run
// wraps around npm test). Without them a suite is skipped and says why; where they are required
// (CI, or test-servers.mjs --require) a missing one fails instead.
import { test } from 'node:test';

const REQUIRED = Boolean(process.env.CI) || process.env.DH_TEST_REQUIRE_SERVERS === '1';

/**
 * The variable's value, or undefined after registering a skipped test that names what is missing
 * (a failing one where the servers are required).
 */
export function testServer(variable: string, suite: string): string | undefined {
  const value = process.env[variable];
  if (value) return value;
  const why = `${variable} is not set: run the tests through scripts/test-servers.mjs (as .ci/run does) to include them`;
  if (REQUIRED) test(`${suite}: needs its server`, () => { throw new Error(why); });
  else test(`${suite}`, { skip: why }, () => {});
  return undefined;
}

/** What the e2e stack tells the tests (passed from global setup to the workers in an environment variable). */
export interface StackState {
  /** Porthole (`next start`), e.g. http://127.0.0.1:PORT. */
  baseURL: string;
  /** The delete-enabled docker-registry behind the `registry` and `readonly` sources. */
  registryUrl: string;
  /** The docker-registry behind the `offline` source (tests halt and restart it). */
  offlineUrl: string;
  /** The Basic-auth docker-registry behind the writable `copies` source (empty at the start). */
  copies: { url: string; credentials: { username: string; password: string } };
  /** Control server of the stack: POST /offline/halt, POST /offline/start. */
  controlUrl: string;
  /** Digests of the seeded content, by name (see seed.ts). */
  digests: Record<string, string>;
  manyTags: number;
  /** Temp dir with the demo layout, configuration and logs. */
  workDir: string;
}

export const STATE_ENV = 'PORTHOLE_E2E_STATE';

export function readState(): StackState {
  const raw = process.env[STATE_ENV];
  if (!raw) throw new Error(`${STATE_ENV} is not set: run the e2e tests through playwright (global setup starts the stack)`);
  return JSON.parse(raw) as StackState;
}

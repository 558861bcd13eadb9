import 'server-only';
import { isIpLiteral, isPrivateAddress, isPrivateHostLiteral, systemResolve } from './address';
import type { ResolvedOptions } from '../options';

/**
 * The address policy for URLs a registry names (token realms, redirect targets): a registry that is not on a
 * loopback, private or link-local address may not send Porthole to one, since it could otherwise aim
 * Porthole's requests (and their answers) at internal services. A registry on such an address may (a test or
 * in-house registry and its storage usually share the network). Literal addresses, `localhost` and DNS
 * answers are all checked; one lookup per host name is shared by concurrent checks.
 */
export class PrivateTargets {
  private registryPrivate?: Promise<boolean>;

  constructor(private readonly options: ResolvedOptions) {}

  /** True when `target` must be refused under the policy (the registry's own host name is always fine). */
  async refuses(target: URL, signal?: AbortSignal): Promise<boolean> {
    const base = this.options.baseUrl;
    if (target.hostname === base.hostname) return false;
    if (await this.isPrivate(base.hostname, signal)) return false;
    return this.isPrivate(target.hostname, signal);
  }

  private isPrivate(hostname: string, signal?: AbortSignal): Promise<boolean> {
    if (hostname === this.options.baseUrl.hostname && this.registryPrivate) return this.registryPrivate;
    const result = (async () => {
      if (isPrivateHostLiteral(hostname)) return true;
      if (isIpLiteral(hostname)) return false;
      signal?.throwIfAborted();
      const resolve = this.options.resolveHost ?? systemResolve;
      // A name that does not resolve cannot be connected to either; the request fails later with a clear error.
      const addresses = await resolve(hostname).catch(() => [] as string[]);
      return addresses.some(isPrivateAddress);
    })();
    if (hostname === this.options.baseUrl.hostname) this.registryPrivate = result;
    return result;
  }
}

/**
 * Where a webhook may be sent (SSRF guard). An endpoint's host must resolve only to public unicast addresses: never
 * loopback, private (RFC 1918, IPv6 unique-local), link-local, carrier-grade NAT, multicast, reserved or unspecified,
 * IPv4-mapped IPv6 judged as the IPv4 address it maps. The rule is checked when the URL is saved and again at every
 * delivery, in the connection's own DNS lookup (`guardedLookup`), so a name that resolves to a public address when
 * saved and to a private one later (DNS rebinding) is refused at the moment of connecting.
 * WEBHOOKS_ALLOW_PRIVATE=1 (development and tests) lifts the rule.
 */
import { type LookupAddress, lookup } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

export function privateAllowed(): boolean {
  return process.env.WEBHOOKS_ALLOW_PRIVATE === "1";
}

/** The range name of an address when it is not public unicast (e.g. "loopback", "private"); null when it is public. */
export function nonPublicRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return "invalid";
  const ip = ipaddr.process(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  const range = ip.range();
  return range === "unicast" ? null : range;
}

export class AddressRefused extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${host} resolves to ${address} (${range}): webhooks are not sent to loopback, private or link-local addresses`);
    this.name = "AddressRefused";
  }
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((ok, fail) => lookup(host, { all: true, verbatim: true }, (err, addrs) => (err ? fail(err) : ok(addrs))));
}

/** Check a host (a name or an address literal) against the rule; throws AddressRefused or the DNS error. */
export async function checkHost(host: string): Promise<void> {
  if (privateAllowed()) return;
  const bare = host.replace(/^\[|\]$/g, "");
  const addresses = isIP(bare) ? [bare] : (await resolveAll(bare)).map((a) => a.address);
  for (const a of addresses) {
    const range = nonPublicRange(a);
    if (range) throw new AddressRefused(host, a, range);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves the name and refuses it when any address is not public: the socket then
 * connects to the very address checked. (An address literal in the URL skips lookup; `checkHost` covers it first.)
 */
export function guardedLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  lookup(hostname, { all: true, verbatim: true }, (err, addrs) => {
    if (err) return callback(err, []);
    if (!privateAllowed()) {
      for (const a of addrs) {
        const range = nonPublicRange(a.address);
        if (range) return callback(Object.assign(new AddressRefused(hostname, a.address, range), { code: "EADDRREFUSED" }), []);
      }
    }
    if (options.all) return callback(null, addrs);
    const first = addrs[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), []);
    callback(null, first.address, first.family);
  });
}

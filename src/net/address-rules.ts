// Which IP addresses the service may fetch from on a user's behalf. Pure: an address string in,
// a verdict out. Ranges from the IANA special-purpose registries (RFC 6890 and its updates):
// https://www.iana.org/assignments/iana-ipv4-special-registry and .../iana-ipv6-special-registry
import { isIPv4, isIPv6 } from 'node:net';

export type AddressRange =
  | 'public' | 'unspecified' | 'loopback' | 'private' | 'shared' | 'link-local' | 'unique-local'
  | 'site-local' | 'multicast' | 'documentation' | 'benchmarking' | 'reserved' | 'broadcast' | 'invalid';

interface V4Rule { readonly base: number; readonly bits: number; readonly range: AddressRange }

const v4 = (cidr: string, range: AddressRange): V4Rule => {
  const [ip, bits] = cidr.split('/');
  return { base: parseV4(ip)!, bits: Number(bits), range };
};

function parseV4(ip: string): number | null {
  if (!isIPv4(ip)) return null;
  return ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
}

const V4_RULES: readonly V4Rule[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared'), // carrier-grade NAT, RFC 6598
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'), // includes cloud metadata 169.254.169.254
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'), // deprecated 6to4 relay anycast, RFC 7526
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('255.255.255.255/32', 'broadcast'),
  v4('240.0.0.0/4', 'reserved'),
];

function classifyV4(n: number): AddressRange {
  for (const r of V4_RULES) {
    const size = 2 ** (32 - r.bits);
    if (Math.floor(n / size) === Math.floor(r.base / size)) return r.range;
  }
  return 'public';
}

/** Eight 16-bit groups of an IPv6 address (with an embedded dotted quad expanded), or null. */
function parseV6(ip: string): number[] | null {
  const zone = ip.indexOf('%');
  const addr = (zone >= 0 ? ip.slice(0, zone) : ip).toLowerCase();
  if (!isIPv6(addr)) return null;
  let text = addr;
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const n = parseV4(tail);
    if (n === null) return null;
    text = `${text.slice(0, lastColon + 1)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const fill = rest === null ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array(fill).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

const embeddedV4 = (hi: number, lo: number): number => hi * 65536 + lo;

function classifyV6(g: number[]): AddressRange {
  const zeroTo = (k: number) => g.slice(0, k).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d and the deprecated IPv4-compatible ::a.b.c.d reach IPv4 hosts:
  // judge the IPv4 address they carry.
  if (zeroTo(5) && g[5] === 0xffff) return classifyV4(embeddedV4(g[6], g[7]));
  if (zeroTo(6)) return classifyV4(embeddedV4(g[6], g[7]));
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052) translates to the embedded IPv4 address.
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(embeddedV4(g[6], g[7]));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return 'private'; // local-use NAT64, RFC 8215
  // 6to4 2002:V4ADDR::/48 (RFC 3056) tunnels to the embedded IPv4 address.
  if (g[0] === 0x2002) return classifyV4(embeddedV4(g[1], g[2]));
  if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return 'site-local'; // fec0::/10, deprecated but still routable inside sites
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'documentation';
  if (g[0] === 0x3fff && (g[1] & 0xf000) === 0) return 'documentation'; // 3fff::/20, RFC 9637
  if (g[0] === 0x2001 && g[1] < 0x200) return 'reserved'; // 2001::/23 IETF protocol assignments (Teredo, ORCHID...)
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'reserved'; // discard-only 100::/64
  // Only 2000::/3 is allocated as global unicast; anything else is not a real destination.
  if ((g[0] & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/** The special-purpose range an address falls in, or 'public'. */
export function classifyAddress(ip: string): AddressRange {
  const n = parseV4(ip);
  if (n !== null) return classifyV4(n);
  const g = parseV6(ip);
  return g === null ? 'invalid' : classifyV6(g);
}

export const isPublicAddress = (ip: string): boolean => classifyAddress(ip) === 'public';

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyAddress, isPublicAddress } from '../../src/net/address-rules.js';

const CASES: [string, string][] = [
  // IPv4 special ranges, at their edges
  ['0.0.0.0', 'unspecified'], ['0.255.255.255', 'unspecified'],
  ['10.0.0.0', 'private'], ['10.255.255.255', 'private'], ['9.255.255.255', 'public'], ['11.0.0.0', 'public'],
  ['100.64.0.0', 'shared'], ['100.127.255.255', 'shared'], ['100.63.255.255', 'public'], ['100.128.0.0', 'public'],
  ['127.0.0.1', 'loopback'], ['127.255.255.254', 'loopback'], ['127.0.0.2', 'loopback'],
  ['169.254.169.254', 'link-local'], ['169.254.0.0', 'link-local'], ['169.255.0.0', 'public'], ['169.253.255.255', 'public'],
  ['172.16.0.0', 'private'], ['172.31.255.255', 'private'], ['172.15.255.255', 'public'], ['172.32.0.0', 'public'],
  ['192.0.0.8', 'reserved'], ['192.0.2.1', 'documentation'], ['192.88.99.1', 'reserved'],
  ['192.168.0.1', 'private'], ['192.168.255.255', 'private'], ['192.167.255.255', 'public'], ['192.169.0.0', 'public'],
  ['198.18.0.1', 'benchmarking'], ['198.19.255.255', 'benchmarking'], ['198.20.0.0', 'public'],
  ['198.51.100.7', 'documentation'], ['203.0.113.9', 'documentation'],
  ['224.0.0.1', 'multicast'], ['239.255.255.255', 'multicast'],
  ['240.0.0.1', 'reserved'], ['255.255.255.254', 'reserved'], ['255.255.255.255', 'broadcast'],
  ['8.8.8.8', 'public'], ['1.1.1.1', 'public'], ['93.184.216.34', 'public'], ['223.255.255.255', 'public'],
  // IPv6
  ['::', 'unspecified'], ['::1', 'loopback'], ['0:0:0:0:0:0:0:1', 'loopback'],
  ['fc00::1', 'unique-local'], ['fd12:3456:789a::1', 'unique-local'], ['fbff::1', 'reserved'],
  ['fe80::1', 'link-local'], ['fe80::1%eth0', 'link-local'], ['febf:ffff::1', 'link-local'],
  ['fec0::1', 'site-local'], ['ff02::1', 'multicast'], ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'], ['2001::1', 'reserved'], ['100::1', 'reserved'],
  ['2606:4700:4700::1111', 'public'], ['2a00:1450:4001:81b::200e', 'public'],
  // IPv4 carried inside IPv6 is judged by the IPv4 address
  ['::ffff:10.0.0.1', 'private'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:169.254.169.254', 'link-local'],
  ['::ffff:a00:1', 'private'], ['::ffff:7f00:1', 'loopback'], ['::FFFF:192.168.1.1', 'private'],
  ['::ffff:8.8.8.8', 'public'], ['::127.0.0.1', 'loopback'], ['::10.1.2.3', 'private'],
  ['64:ff9b::10.0.0.1', 'private'], ['64:ff9b::8.8.8.8', 'public'], ['64:ff9b:1::1', 'private'],
  ['2002:0a00:0001::1', 'private'], ['2002:7f00:1::', 'loopback'], ['2002:0808:0808::1', 'public'],
  // not addresses
  ['localhost', 'invalid'], ['', 'invalid'], ['256.0.0.1', 'invalid'], ['1.2.3', 'invalid'], ['::ffff:999.0.0.1', 'invalid'],
];

test('classifyAddress puts each address in its IANA special-purpose range', () => {
  for (const [ip, range] of CASES) assert.equal(classifyAddress(ip), range, ip);
});

test('isPublicAddress is true only for global unicast', () => {
  assert.deepEqual(CASES.filter(([ip]) => isPublicAddress(ip)).map(([ip]) => ip),
    ['9.255.255.255', '11.0.0.0', '100.63.255.255', '100.128.0.0', '169.255.0.0', '169.253.255.255', '172.15.255.255', '172.32.0.0',
      '192.167.255.255', '192.169.0.0', '198.20.0.0', '8.8.8.8', '1.1.1.1', '93.184.216.34', '223.255.255.255',
      '2606:4700:4700::1111', '2a00:1450:4001:81b::200e', '::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:0808:0808::1']);
});

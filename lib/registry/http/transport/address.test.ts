import { describe, expect, it } from 'vitest';
import { isIpLiteral, isPrivateAddress, isPrivateHostLiteral } from './address';

describe('private address detection', () => {
  it('flags loopback, private, link-local, CGNAT and unspecified IPv4', () => {
    for (const a of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '172.15.0.1', '172.32.0.1', '192.169.0.1', '100.128.0.1', '93.184.216.34']) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
  });

  it('flags IPv6 loopback, unique-local, link-local and mapped private IPv4', () => {
    for (const a of ['::1', '[::1]', '::', 'fd00::1', 'fc12:3456::1', 'fe80::1%eth0', '::ffff:10.0.0.1', '::ffff:7f00:1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['2001:db8::1', '2606:4700::1111', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('treats localhost names as private without DNS, and knows IP literals', () => {
    expect(isPrivateHostLiteral('localhost')).toBe(true);
    expect(isPrivateHostLiteral('LOCALHOST.')).toBe(true);
    expect(isPrivateHostLiteral('auth.localhost')).toBe(true);
    expect(isPrivateHostLiteral('auth.example.com')).toBe(false);
    expect(isPrivateHostLiteral('not-an-ip')).toBe(false);
    expect(isIpLiteral('[::1]')).toBe(true);
    expect(isIpLiteral('10.0.0.1')).toBe(true);
    expect(isIpLiteral('registry.example')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { HushError } from '../errors/hush-error.js';
import { parseWebhookUrl, refusedAddress, resolveWebhookTarget } from './webhook-target.js';

const REFUSED = [
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'linkLocal'],
  ['100.64.0.1', 'carrierGradeNat'],
  ['100.127.255.254', 'carrierGradeNat'],
  ['0.0.0.0', 'unspecified'],
  ['224.0.0.251', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['::1', 'loopback'],
  ['::', 'unspecified'],
  ['fe80::1', 'linkLocal'],
  ['febf::1', 'linkLocal'],
  ['fc00::1', 'uniqueLocal'],
  ['fd12:3456::1', 'uniqueLocal'],
  ['ff02::1', 'multicast'],
  ['::ffff:127.0.0.1', 'loopback'],
  ['::ffff:7f00:1', 'loopback'],
  ['::ffff:10.0.0.1', 'private'],
  ['::ffff:169.254.169.254', 'linkLocal'],
  ['::ffff:100.64.0.1', 'carrierGradeNat'],
  ['2002:7f00:1::1', '6to4'],
  ['64:ff9b::a00:1', 'rfc6052'],
  ['::a9fe:a9fe', 'ipv4Compatible'],
  ['::7f00:1', 'ipv4Compatible'],
] as const;

describe('webhook target guard', () => {
  it.each(REFUSED)('refuses %s (%s)', (address, range) => {
    expect(refusedAddress(address)).toBe(`${range} address`);
  });

  it.each(['1.1.1.1', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:1.1.1.1'])(
    'allows the public address %s',
    (address) => expect(refusedAddress(address)).toBeUndefined(),
  );

  const refusedCode = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HushError);
    return (error as HushError).code;
  };

  it('refuses a host name that resolves to 127.0.0.1, or to any refused address among public ones', async () => {
    expect(await refusedCode(resolveWebhookTarget(new URL('https://localhost/x'), false))).toBe(
      'webhook_target_refused',
    );
    const mixed = async () => [
      { address: '1.1.1.1', family: 4 },
      { address: '::ffff:192.168.0.1', family: 6 },
    ];
    expect(await refusedCode(resolveWebhookTarget(new URL('https://hooks.example/x'), false, mixed))).toBe(
      'webhook_target_refused',
    );
    const none = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await refusedCode(resolveWebhookTarget(new URL('https://nowhere.invalid/'), false, none))).toBe(
      'webhook_target_refused',
    );
  });

  it('checks IP literals in every URL form, and pins the address it checked', async () => {
    for (const url of [
      'https://[::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://[fe80::1]/',
    ]) {
      expect(await refusedCode(resolveWebhookTarget(new URL(url), false)), url).toBe(
        'webhook_target_refused',
      );
    }
    const publicOnly = async () => [{ address: '2606:4700:4700::1111', family: 6 }];
    const target = await resolveWebhookTarget(new URL('https://hooks.example/x'), false, publicOnly);
    expect(target).toMatchObject({ address: '2606:4700:4700::1111', family: 6 });
    // Allowed when the operator says so: loopback then resolves and is pinned like any other.
    expect(await resolveWebhookTarget(new URL('http://127.0.0.1:9/'), true)).toMatchObject({
      address: '127.0.0.1',
      family: 4,
    });
  });

  it('takes https only (http too when private targets are allowed), without credentials or fragments', () => {
    expect(parseWebhookUrl('https://hooks.example/x?a=1', false).href).toBe('https://hooks.example/x?a=1');
    expect(parseWebhookUrl('http://127.0.0.1:8080/x', true).port).toBe('8080');
    for (const bad of [
      'http://hooks.example/',
      'ftp://hooks.example/',
      'https://u:p@hooks.example/',
      'https://hooks.example/#x',
      'nope',
      `https://h.example/${'a'.repeat(2048)}`,
    ]) {
      expect(() => parseWebhookUrl(bad, false), bad).toThrow(
        expect.objectContaining({ code: 'invalid_webhook' }),
      );
    }
    expect(() => parseWebhookUrl('file:///etc/passwd', true)).toThrow(
      expect.objectContaining({ code: 'invalid_webhook' }),
    );
  });
});

import { ReplyError } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { HushError } from '../../errors/hush-error.js';
import { isRedisFault } from './redis-faults.js';

const reply = (message: string): Error => new ReplyError(message);

function systemError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:6379`), { code, syscall: 'connect' });
}

class MaxRetriesPerRequestError extends Error {
  override name = 'MaxRetriesPerRequestError';
}

describe('isRedisFault', () => {
  it.each([
    ['a refused connection', systemError('ECONNREFUSED')],
    ['a reset connection', systemError('ECONNRESET')],
    ['a connect timeout', systemError('ETIMEDOUT')],
    ['a command timeout', new Error('Command timed out')],
    ['a closed connection', new Error('Connection is closed.')],
    ['the offline client', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['retries run out', new MaxRetriesPerRequestError('Reached the max retries per request limit')],
    ['Redis loading its data', reply('LOADING Redis is loading the dataset in memory')],
    ['a replica after failover', reply("READONLY You can't write against a read only replica.")],
    ['a replica without its primary', reply('MASTERDOWN Link with MASTER is down')],
    ['a long script running', reply('BUSY Redis is busy running a script.')],
    ['memory full', reply("OOM command not allowed when used memory > 'maxmemory'.")],
    ['TRYAGAIN', reply('TRYAGAIN Multiple keys request during rehashing of slot')],
    ['CLUSTERDOWN', reply('CLUSTERDOWN The cluster is down')],
    ['too few replicas', reply('NOREPLICAS Not enough good replicas to write.')],
  ])('is true for %s', (_case, error) => {
    expect(isRedisFault(error)).toBe(true);
  });

  it.each([
    ['a script error', reply('ERR user_script:3: Script attempted to access nonexistent global variable')],
    ['a wrong type', reply('WRONGTYPE Operation against a key holding the wrong kind of value')],
    ['a bug in our code', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a domain error from the store beneath', new HushError('not_found')],
    ['a non-error', 'ECONNREFUSED'],
  ])('is false for %s', (_case, error) => {
    expect(isRedisFault(error)).toBe(false);
  });
});

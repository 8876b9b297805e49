import { createHmac, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { restrictToOwner } from '../files/owner-only.js';

export const MASTER_KEY_BYTES = 32;

/** Thrown when the master key is missing, short or malformed: hush refuses to start. */
export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

export interface MasterKeySource {
  /** HUSH_MASTER_KEY: 32 bytes as 64 hex digits or base64/base64url. */
  readonly masterKey: string | undefined;
  /** HUSH_MASTER_KEY_FILE: read if present, else created (0600) on first start. */
  readonly masterKeyFile: string;
}

export interface MasterKeyResult {
  readonly key: Buffer;
  readonly origin: 'env' | 'file' | 'created';
  readonly file?: string;
  /** The key file's mode (octal text) when it was readable by others and has been made 0600. */
  readonly tightenedFrom?: string;
}

/**
 * The master key from HUSH_MASTER_KEY or the key file. Without either, a new key file is created,
 * unless `mayCreate` is false: a database that already holds data needs the key it was written
 * with, and a fresh key would only make every share unreadable.
 */
export function loadMasterKey(source: MasterKeySource, mayCreate = true): MasterKeyResult {
  if (source.masterKey !== undefined) {
    return { key: decodeMasterKey(source.masterKey, 'HUSH_MASTER_KEY'), origin: 'env' };
  }
  const file = source.masterKeyFile;
  const existing = readKeyFile(file);
  if (existing) return existing;
  if (!mayCreate) {
    throw new MasterKeyError(
      `no master key: ${file} does not exist and HUSH_MASTER_KEY is not set, but the database already ` +
        'holds data written with a key. Restore the key file (or set HUSH_MASTER_KEY) rather than making a new one.',
    );
  }
  return createKeyFile(file);
}

/**
 * Writes a new key to a temporary file and links it into place: the key file appears whole or
 * not at all, and when another process won the race, its key is the one to use.
 */
function createKeyFile(file: string): MasterKeyResult {
  const key = randomBytes(MASTER_KEY_BYTES);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, `${key.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
  } catch (error) {
    const raced = (error as NodeJS.ErrnoException).code === 'EEXIST' ? readKeyFile(file) : undefined;
    if (raced) return raced;
    throw new MasterKeyError(`cannot create master key file ${file}: ${(error as Error).message}`);
  } finally {
    unlinkSync(temp);
  }
  return { key, origin: 'created', file };
}

/** Identifies a key without revealing it: stored beside the data to catch a wrong key at start. */
export function keyCheckValue(key: Buffer): string {
  return createHmac('sha256', key).update('hush/key-check/v1').digest('base64url');
}

/** The key in `file`, or undefined when there is no such file. */
function readKeyFile(file: string): MasterKeyResult | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MasterKeyError(`cannot read master key file ${file}: ${(error as Error).message}`);
  }
  const tightenedFrom = restrictToOwner(file);
  const key = decodeMasterKey(text, `master key file ${file}`);
  return { key, origin: 'file', file, ...(tightenedFrom !== undefined && { tightenedFrom }) };
}

export function decodeMasterKey(text: string, where: string): Buffer {
  const value = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) key = Buffer.from(value, 'base64url');
  if (key?.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(
      `${where} is malformed: expected ${MASTER_KEY_BYTES} bytes as 64 hex digits or base64 ` +
        '(generate one with: openssl rand -base64 32)',
    );
  }
  return key;
}

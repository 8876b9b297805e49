import { HushError } from '../../src/errors/hush-error.js';

/** The code and message of the HushError a promise rejects with; fails the test if it does not. */
export async function refusalOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HushError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a HushError');
}

/** Just the code of that HushError. */
export const codeOf = async (promise: Promise<unknown>) => (await refusalOf(promise)).code;

// Child-process entry: loads (or creates) the master key file named in argv and prints it as hex.
import { loadMasterKey } from '../../src/crypto/master-key.js';

process.stdout.write(
  loadMasterKey({ masterKey: undefined, masterKeyFile: process.argv[2] ?? '' }).key.toString('hex'),
);

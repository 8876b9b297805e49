/**
 * What the operator can do when the address from HUSH_HOST and HUSH_PORT cannot be listened on: one
 * line, not a stack. Undefined for any other error. Node's listen error carries the address and port.
 */
export function listenFailure(error: unknown): string | undefined {
  const { code, syscall, address, port } = (error ?? {}) as {
    code?: unknown;
    syscall?: unknown;
    address?: unknown;
    port?: unknown;
  };
  if (syscall !== 'listen' || typeof address !== 'string') return undefined;
  if (code === 'EADDRNOTAVAIL') {
    return `${address} is not an address of this machine: set HUSH_HOST (127.0.0.1, or 0.0.0.0 for all)`;
  }
  // Node leaves the port out when it is 0 (any free port): neither error below can happen then.
  if (typeof port !== 'number') return undefined;
  if (code === 'EADDRINUSE') {
    return `port ${port} on ${address} is already in use: stop the other server or set HUSH_PORT`;
  }
  if (code === 'EACCES') {
    return `not allowed to listen on port ${port} on ${address} (ports below 1024 need privileges): set HUSH_PORT to 1024 or above`;
  }
  return undefined;
}

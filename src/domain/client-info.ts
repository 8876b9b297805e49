/** Who made a request, as the audit log records it. Every surface builds one; services pass it on. */
export interface ClientInfo {
  readonly ip: string | undefined;
  readonly userAgent: string | undefined;
  /** The request id of the HTTP request (the X-Request-Id answered), when the change came from one. */
  readonly requestId?: string | undefined;
}

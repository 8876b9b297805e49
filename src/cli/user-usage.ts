export const USER_USAGE = `usage: hush user create [--admin] [--email <address>] [--password-file <path>] <username>
       hush user list [--json]
       hush user delete <username>
  Accounts, on this server's storage (the HUSH_* settings, as hush serve reads them).

  create  makes an account (a user, or an admin with --admin). The password is never an argument,
          which other users can see: on a terminal it is asked twice without echo; otherwise it
          is the first line of standard input; or the file of --password-file (one trailing
          newline dropped):
            printf '%s\\n' "$PASSWORD" | hush user create --admin alice
  list    every account: username, role, email, creation time; --json prints
          {"total":…,"users":[{id, username, email, role, created_at}]} (the API's fields)
  delete  deletes the account; its sessions and tokens stop working at once (audited user.deleted)
`;

/** Bad arguments: the reason (if any) and the usage on stderr, exit code 2, before touching data. */
export function userUsageError(reason?: string): number {
  process.stderr.write(`${reason === undefined ? '' : `hush: ${reason}\n`}${USER_USAGE}`);
  return 2;
}

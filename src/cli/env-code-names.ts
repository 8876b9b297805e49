/**
 * Variables that decide which code runs rather than what it reads: set from a secret, they hand
 * whoever may write that secret the command itself (LD_PRELOAD loads a library into it,
 * NODE_OPTIONS=--require a module, BASH_ENV a script into every bash it starts). `hush run`
 * refuses them unless --override whether or not they are set already: unset is their usual state,
 * so the shadowing check alone would let them through.
 *
 * The list covers the dynamic loader, the shells, and the interpreters and tools a deploy commonly
 * starts. It cannot name every program's own such variable; it names the ones documented to load
 * code, change where commands are found, or name a command to run.
 */
const CODE_NAMES = new Set([
  // Where commands are found.
  'PATH',
  // The glibc loader's iconv modules (LD_* and DYLD_* are prefixes below).
  'GCONV_PATH',
  // Shells: startup files read by non-interactive bash (BASH_ENV) or zsh (ZDOTDIR), options and
  // word splitting that change how scripts run, prompts evaluated as code. (POSIX sh reads ENV
  // only when interactive, which a command run by hush is not, and apps often use ENV=production.)
  'BASH_ENV',
  'ZDOTDIR',
  'SHELLOPTS',
  'BASHOPTS',
  'IFS',
  'CDPATH',
  'PS4',
  'PROMPT_COMMAND',
  // Node.js.
  'NODE_OPTIONS',
  'NODE_PATH',
  // Python.
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'PYTHONHOME',
  'PYTHONUSERBASE',
  'PYTHONBREAKPOINT',
  // Perl, Ruby, Lua.
  'PERL5LIB',
  'PERLLIB',
  'PERL5OPT',
  'PERL5DB',
  'RUBYOPT',
  'RUBYLIB',
  'LUA_INIT',
  'LUA_PATH',
  'LUA_CPATH',
  // The JVM (-javaagent and the class path).
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
  'JDK_JAVA_OPTIONS',
  'CLASSPATH',
  // Commands that git, ssh and others run on their own (GIT_CONFIG* is a prefix below: it can set
  // core.sshCommand and the like).
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'GIT_EXEC_PATH',
  'GIT_EXTERNAL_DIFF',
  'GIT_PROXY_COMMAND',
  'GIT_EDITOR',
  'GIT_PAGER',
  'EDITOR',
  'VISUAL',
  'PAGER',
  'LESSOPEN',
  'LESSCLOSE',
  // OpenSSL's configuration loads engines and providers (shared objects).
  'OPENSSL_CONF',
]);

/** The dynamic loaders' (glibc, musl: LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT; macOS: DYLD_*), git's config. */
const CODE_PREFIXES = ['LD_', 'DYLD_', 'GIT_CONFIG'];

/**
 * Whether `key` is one of the variables above. Case is ignored: Windows environments ignore it,
 * and refusing a lower-case twin elsewhere costs nothing.
 */
export function decidesCode(key: string): boolean {
  const name = key.toUpperCase();
  return CODE_NAMES.has(name) || CODE_PREFIXES.some((prefix) => name.startsWith(prefix));
}

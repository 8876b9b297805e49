import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const PAGES = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')),
].map((name) => (name === 'README.md' ? name : `docs/${name}`));

/** The page's text without fenced code blocks and inline code, where `[a](b)` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const line of markdown.replace(/^```[\s\S]*?^```/gm, '').split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const slug = heading[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    found.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return found;
}

/** Every relative link target of a page: `[text](target)` and `![alt](target)`, titles dropped. */
function relativeLinks(markdown: string): string[] {
  const targets = [...prose(markdown).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map(
    (match) => match[1] ?? '',
  );
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** What is wrong with one link of `page`, or undefined when it resolves. */
function brokenBecause(page: string, target: string): string | undefined {
  const [file = '', anchor] = target.split('#');
  const resolved =
    file === '' ? path.join(ROOT, page) : path.resolve(path.dirname(path.join(ROOT, page)), file);
  if (!existsSync(resolved)) return 'no such file';
  if (anchor === undefined) return undefined;
  if (!resolved.endsWith('.md') || statSync(resolved).isDirectory())
    return 'an anchor into a file that is not Markdown';
  return anchors(readFileSync(resolved, 'utf8')).has(anchor) ? undefined : `no heading #${anchor}`;
}

describe('README and docs links', () => {
  it('finds pages and links to check', () => {
    expect(PAGES).toContain('README.md');
    expect(PAGES).toContain('docs/architecture.md');
    expect(relativeLinks(readFileSync(path.join(ROOT, 'README.md'), 'utf8')).length).toBeGreaterThan(10);
  });

  it('reads anchors as GitHub makes them', () => {
    const page = '# A — `POST /api/v1/shares/{secret_key}/reveal`\n## Compatible APIs\n## Compatible APIs\n';
    expect([...anchors(page)]).toEqual([
      'a--post-apiv1sharessecret_keyreveal',
      'compatible-apis',
      'compatible-apis-1',
    ]);
    expect(brokenBecause('README.md', 'docs/api.md#no-such-heading')).toBe('no heading #no-such-heading');
    expect(brokenBecause('README.md', 'docs/nothing.md')).toBe('no such file');
  });

  it.each(PAGES)('%s: every relative link and anchor resolves', (page) => {
    const broken = relativeLinks(readFileSync(path.join(ROOT, page), 'utf8'))
      .map((target) => ({ target, problem: brokenBecause(page, target) }))
      .filter((link) => link.problem !== undefined);
    expect(broken).toEqual([]);
  });
});

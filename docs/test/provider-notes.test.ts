/**
 * The provider notes (docs/providers/*.md) against the code that cites them. Comments, JSDoc, test titles and READMEs
 * cite facts by tag: `docs/providers/kakao.md A1, A7.6`, `docs/providers/naver.md B8 ⚠`, or a bare `(A9)` / `B6.4` in
 * a file about one provider. Every tag cited must be a heading of the note its letter names (A: Kakao, B: Naver,
 * C: the emulator checklist), and nothing may point at notes that live outside the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The repository root: this file is `docs/test/provider-notes.test.ts`. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The note each tag letter lives in. */
const NOTE_OF = {
  A: 'docs/providers/kakao.md',
  B: 'docs/providers/naver.md',
  C: 'docs/providers/emulator.md',
} as const;
type Part = keyof typeof NOTE_OF;
const NOTE_FILES: readonly string[] = Object.values(NOTE_OF);

/** Every section the notes have, cited or not: Kakao A1–A13, Naver B1–B9. */
const SECTIONS: readonly string[] = [
  ...Array.from({ length: 13 }, (_, i) => `A${i + 1}`),
  ...Array.from({ length: 9 }, (_, i) => `B${i + 1}`),
];

/** Where citations are: the packages, the examples, the benchmarks and the root README. */
const CITING_PATHS = ['packages', 'examples', 'bench', 'README.md'];
const CITING_FILE = /\.(?:[cm]?ts|[cm]?js|md)$/;

const TAG = String.raw`[ABC]\d{1,2}(?:\.\d{1,2})?`;
const ITEM = String.raw`${TAG}(?:\s*⚠)?`;
/** Between two tags of one list: a comma, a slash or "and", possibly across a comment's line break (` * `, `// `). */
const SEPARATOR = String.raw`\s*(?:,|/|\band\b)\s*(?:(?:\*|//)\s*)?`;
/** A citation of a note: `docs/providers/kakao.md A1, A7.6`. */
const CITATION = new RegExp(String.raw`(docs/providers/(?:kakao|naver|emulator)\.md)[,:]?\s+(${ITEM}(?:${SEPARATOR}${ITEM})*)`, 'gu');
/**
 * What points outside the repository: the workspace's facts file, by name or by a path above the checkout. Built from
 * parts, so that this file, which is checked too, does not name them itself.
 */
const OUTSIDE = [['provider', 'reference'].join('-'), ['..', 'shared', ''].join('/')];
/**
 * A tag standing alone, as in `(A9)`, `A7.1:`, `B8 ⚠`, `A6/A2`. Not inside a word, a number or a percent-encoding
 * (`%E0%A4%A`). Bare C tags are left out: `C0` and `C1` are also the control-character ranges; cite C tags with their
 * note (`docs/providers/emulator.md C…`).
 */
const BARE_TAG = /(?<![\p{L}\p{N}_%+=.-])[AB]\d{1,2}(?:\.\d{1,2})?(?![\p{L}\p{N}_%+=-]|\.\d)/gu;
const LEADING_TAG = new RegExp(String.raw`^(${TAG})(?=[.:)\s]|$)`, 'u');

interface Citation {
  tag: string;
  /** Where it is cited, `file:line`. */
  at: string;
  /** The note the citation names, when it names one. */
  note: string | undefined;
}

interface Heading {
  level: number;
  text: string;
  tag: string | undefined;
  line: number;
}

function trackedFiles(paths: readonly string[]): string[] {
  const output = execFileSync('git', ['ls-files', '-z', '--', ...paths], { cwd: ROOT, encoding: 'utf8' });
  // A file deleted in the work tree but not yet in the index has nothing to read; a submodule is no file.
  return output.split('\0').filter((file) => file !== '' && isFile(file));
}

function isFile(file: string): boolean {
  return statSync(join(ROOT, file), { throwIfNoEntry: false })?.isFile() ?? false;
}

function read(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

function partOf(tag: string): Part {
  return tag[0] as Part;
}

/** Every tag the code cites, each with where it is cited. */
function citedTags(): Citation[] {
  const citations: Citation[] = [];
  for (const file of trackedFiles(CITING_PATHS).filter((name) => CITING_FILE.test(name))) {
    const text = read(file);
    for (const match of text.matchAll(CITATION)) {
      const note = match[1];
      for (const tag of (match[2] ?? '').matchAll(new RegExp(TAG, 'gu'))) {
        citations.push({ tag: tag[0], at: `${file}:${lineOf(text, match.index)}`, note });
      }
    }
    for (const match of text.matchAll(BARE_TAG)) {
      citations.push({ tag: match[0], at: `${file}:${lineOf(text, match.index)}`, note: undefined });
    }
  }
  return citations;
}

/** The lines of a Markdown file, with `undefined` for the lines of fenced code blocks (fences included). */
function outsideFences(markdown: string): Array<string | undefined> {
  let fence: string | undefined;
  return markdown.split('\n').map((line) => {
    const mark = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (mark === undefined) return fence === undefined ? line : undefined;
    if (fence === undefined) fence = mark;
    else if (mark.startsWith(fence)) fence = undefined;
    return undefined;
  });
}

/** The prose of each line of a Markdown file: no fenced code, no inline code spans. */
function proseLines(markdown: string): string[] {
  return outsideFences(markdown).map((line) => line?.replace(/(`+)[^`]*?\1/g, '') ?? '');
}

/** The headings of a Markdown file, outside fenced code. */
function headingsOf(markdown: string): Heading[] {
  const headings: Heading[] = [];
  outsideFences(markdown).forEach((line, index) => {
    const match = line === undefined ? null : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (!match) return;
    const text = match[2] ?? '';
    headings.push({ level: (match[1] ?? '').length, text, tag: LEADING_TAG.exec(text)?.[1], line: index + 1 });
  });
  return headings;
}

describe('provider notes (docs/providers)', () => {
  it('resolves every tag the code cites to a heading of the right note, with public sources', () => {
    const citations = citedTags();
    expect(citations.length, 'no citation found: is the pattern still right?').toBeGreaterThan(0);

    const problems: string[] = [];
    const notes = new Map<string, { text: string; headings: Heading[] }>();
    for (const note of NOTE_FILES) {
      if (!existsSync(join(ROOT, note))) continue;
      const text = read(note);
      notes.set(note, { text, headings: headingsOf(text) });
    }

    // Each cited tag: a heading of its note, and a citation naming a note names the right one.
    const reported = new Set<string>();
    for (const { tag, at, note } of citations) {
      const home = NOTE_OF[partOf(tag)];
      if (note !== undefined && note !== home) problems.push(`${at} cites ${tag} in ${note}, but ${tag} is in ${home}`);
      if (reported.has(tag)) continue;
      const headings = notes.get(home)?.headings;
      if (headings === undefined) {
        problems.push(`${tag} (cited at ${at}): ${home} does not exist`);
        reported.add(tag);
      } else if (!headings.some((heading) => heading.tag === tag)) {
        problems.push(`${tag} (cited at ${at}): no heading of ${home} starts with ${tag}`);
        reported.add(tag);
      }
    }

    // Every section has a heading of its own (`## A6. …`), cited or not.
    for (const section of SECTIONS) {
      const home = NOTE_OF[partOf(section)];
      if (!notes.get(home)?.headings.some((heading) => heading.level === 2 && heading.tag === section)) {
        problems.push(`${home} has no section heading "## ${section}. …"`);
      }
    }

    for (const [note, { text, headings }] of notes) {
      const lines = proseLines(text);
      const seen = new Map<string, number>();
      let section: Heading | undefined;
      for (const heading of headings) {
        if (heading.level <= 2) section = heading;
        if (heading.tag === undefined) continue;
        // One heading per tag, so a citation names exactly one place.
        const first = seen.get(heading.tag);
        if (first !== undefined) problems.push(`${note}:${heading.line}: ${heading.tag} already heads line ${first}`);
        else seen.set(heading.tag, heading.line);
        // A numbered item (A7.6) sits under its section (A7).
        const parent = heading.tag.split('.')[0];
        if (heading.tag.includes('.') && (heading.level <= 2 || section?.tag !== parent)) {
          problems.push(`${note}:${heading.line}: ${heading.tag} is not a sub-heading of section ${parent}`);
        }
      }
      // Each top-level section links to a public source: a link in its prose, not an endpoint in code or a heading.
      const sections = headings.filter((heading) => heading.level === 2);
      sections.forEach((heading, i) => {
        const end = sections[i + 1]?.line ?? lines.length + 1;
        if (!lines.slice(heading.line, end - 1).some((line) => /https:\/\/[^\s)>\]]+/.test(line))) {
          problems.push(`${note}:${heading.line}: section "${heading.text}" links to no https:// source`);
        }
      });
    }

    expect(problems).toEqual([]);
  });

  it('points nowhere outside the repository', () => {
    const files = new Set([...trackedFiles([]), ...NOTE_FILES.filter((note) => existsSync(join(ROOT, note)))]);
    const offenders: string[] = [];
    for (const file of files) {
      if (/(?:^|\/)CHANGELOG\.md$/.test(file)) continue;
      read(file)
        .split('\n')
        .forEach((line, index) => {
          if (OUTSIDE.some((pointer) => line.includes(pointer))) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
        });
    }
    // Cite the project's own notes instead: `docs/providers/kakao.md A…`, `docs/providers/naver.md B…`.
    expect(offenders).toEqual([]);
  });
});

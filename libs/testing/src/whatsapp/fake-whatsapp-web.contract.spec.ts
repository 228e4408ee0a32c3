import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LIBRARY_OPTIONAL_PROBES } from './fake-whatsapp-page';
import { WHATSAPP_WEB_JS_MODULE_IDS } from './whatsapp-web-js-module-ids';

const libraryRoot = dirname(require.resolve('whatsapp-web.js/package.json'));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : entry.name.endsWith('.js') ? [join(folder, entry.name)] : [],
  );
}

function moduleIdsInLibrary(): string[] {
  const ids = new Set<string>();
  for (const file of sourceFiles(join(libraryRoot, 'src'))) {
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/require\(\s*['"](WA\w+)['"]\s*,?\s*\)/g)) ids.add(match[1]);
    for (const match of source.matchAll(/module:\s*['"](WA\w+)['"]/g)) ids.add(match[1]);
  }
  return [...ids].sort();
}

function moduleIdsInFake(): string[] {
  const page = readFileSync(join(__dirname, 'fake-whatsapp-web.page.js'), 'utf8');
  const table = /const modules = \{\n([\s\S]*?)\n {4}\};/.exec(page)?.[1] ?? '';
  return [...table.matchAll(/^ {6}(WA\w+): /gm)].map((match) => match[1]);
}

describe('the fake WhatsApp Web against the pinned whatsapp-web.js', () => {
  it('is checked against whatsapp-web.js 1.34.7 exactly', () => {
    const { version } = JSON.parse(readFileSync(join(libraryRoot, 'package.json'), 'utf8')) as { version: string };
    expect(version).toBe('1.34.7');
  });

  it('knows every module id the library asks for (an upgrade that changes them fails here)', () => {
    expect(moduleIdsInLibrary()).toEqual([...WHATSAPP_WEB_JS_MODULE_IDS]);
  });

  it('offers only modules the library asks for, and leaves out its optional probes', () => {
    const fake = moduleIdsInFake();
    expect(fake.length).toBeGreaterThan(20);
    expect(fake.filter((id) => !WHATSAPP_WEB_JS_MODULE_IDS.includes(id))).toEqual([]);
    const probes = LIBRARY_OPTIONAL_PROBES.map((name) => name.replace(/^module /, ''));
    expect(probes.filter((id) => !WHATSAPP_WEB_JS_MODULE_IDS.includes(id) || fake.includes(id))).toEqual([]);
  });
});

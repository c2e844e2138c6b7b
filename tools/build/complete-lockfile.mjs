#!/usr/bin/env node
// The npm registry mirror on our machines serves only some platforms' builds of native
// optional packages (e.g. @swc/core-darwin-arm64 answers 404), so `npm install` leaves them out
// of package-lock.json and `npm ci` then refuses the lock ("Missing: ... from lock file").
// This adds a lock entry (version, os, cpu, optional) for every such package, which is what npm
// writes where the registry is complete: npm ci skips them on other platforms without fetching.
// Run after any `npm install`; .ci/run checks that nothing is left to add.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const lockPath = join(import.meta.dirname, '..', '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openharmony', 'openbsd', 'sunos', 'aix', 'netbsd'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', wasm32: 'wasm32' };

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  if (!os || !cpu) return undefined;
  const libc = parts.some((p) => p.startsWith('musl')) ? ['musl'] : parts.some((p) => p.startsWith('gnu')) && os === 'linux' ? ['glibc'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

const check = process.argv.includes('--check');
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const parentDir = path === '' ? '' : `${path}/`;
    if (lock.packages[`${parentDir}node_modules/${dep}`] || lock.packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    lock.packages[`node_modules/${dep}`] = { version: range.replace(/^[\^~=]/, ''), optional: true, ...platform };
    added.push(dep);
  }
}
if (check) {
  if (added.length > 0) {
    console.error(`package-lock.json lacks ${added.length} platform packages; run node tools/build/complete-lockfile.mjs`);
    process.exit(1);
  }
} else {
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  writeFileSync(lockPath, JSON.stringify(lock, null, 2) + '\n');
  console.log(`added ${added.length} platform package entries${added.length ? ': ' + added.join(', ') : ''}`);
}

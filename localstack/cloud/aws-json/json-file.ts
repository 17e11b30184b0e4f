// Optional persistence for the local emulators: the whole state in one JSON file, rewritten after each mutation
// through a temporary file and a rename so a crash never leaves it half written.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Undefined when the file does not exist yet; a corrupt file throws rather than silently losing stored keys. */
export function readJsonFile(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot load emulator state from ${file}: ${(error as Error).message}`);
  }
}

export function writeJsonFile(file: string, data: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  // Owner-only: the file holds secrets in clear text.
  writeFileSync(temporary, JSON.stringify(data), { mode: 0o600 });
  renameSync(temporary, file);
}

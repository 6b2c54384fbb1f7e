/**
 * A JSON file that is read again when it changes on disk: every access compares the file's
 * mtime, size and inode with what was last read (one `stat`, no watcher to leak or to miss
 * events on network file systems), so an edit by hand or by another process is seen by the
 * next request. A file that no longer parses keeps the last good content and is reported
 * (`error`), so a half-written edit never empties the mapping.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { logger } from '../logger.js';

export class WatchedJsonFile<T> {
  private stamp = '';
  private value: T;
  /** Why the file on disk could not be used (null when its content is in use). */
  error: string | null = null;

  constructor(
    readonly file: string,
    private readonly parse: (json: unknown) => T,
    empty: T,
    options: { create?: () => unknown } = {},
  ) {
    this.value = empty;
    if (options.create && !this.statStamp()) this.write(options.create());
    this.current();
  }

  private statStamp(): string | null {
    try {
      const s = statSync(this.file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return null;
    }
  }

  /** The content, read again first if the file changed since. */
  current(): T {
    const stamp = this.statStamp();
    if (stamp === this.stamp) return this.value;
    this.stamp = stamp ?? '';
    if (stamp === null) {
      this.error = `${this.file} does not exist`;
      return this.value;
    }
    try {
      this.value = this.parse(JSON.parse(readFileSync(this.file, 'utf8')));
      this.error = null;
    } catch (error) {
      this.error = `${this.file}: ${(error as Error).message.split('\n')[0]}`;
      logger.warn({ file: this.file, err: this.error }, 'cannot use the changed file: keeping its last good content');
    }
    return this.value;
  }

  /** Replaces the file atomically (a temporary file renamed over it) and takes `json` as its content. */
  write(json: unknown): void {
    mkdirSync(path.dirname(path.resolve(this.file)), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
    this.value = this.parse(json);
    this.stamp = this.statStamp() ?? '';
    this.error = null;
  }
}

// Where S3 object bodies live: records in the state name a body by its sha256, the body itself is
// here. In memory without a state file; with one, as content-addressed files beside it, so a save
// never re-writes bodies and a running emulator does not hold every body in memory.
import * as fs from "fs";
import * as path from "path";
import { sha256Hex } from "./ids";

export interface BlobStore {
  /** Stores the bytes (durably, for files) and returns their sha256 name. */
  put(data: Buffer): string;
  /** The bytes named `sha256`, or only `[start, end]` (inclusive) of them. */
  get(sha256: string, range?: { start: number; end: number }): Buffer;
  /** Forgets every body not named in `live`. */
  collect(live: Set<string>): void;
}

/** Slack before overwritten and deleted bodies are dropped, so memory stays near the live data. */
const MEMORY_SLACK_BYTES = 8 * 1024 * 1024;

export class MemoryBlobStore implements BlobStore {
  private readonly bodies = new Map<string, Buffer>();
  private bytes = 0;
  private liveBytes = 0;

  /** `live` names the bodies the state still refers to. */
  constructor(private readonly live: () => Set<string>) {}

  put(data: Buffer): string {
    const name = sha256Hex(data);
    if (this.bodies.has(name)) return name;
    if (this.bytes + data.length > 2 * this.liveBytes + MEMORY_SLACK_BYTES)
      this.collect(this.live());
    this.bodies.set(name, Buffer.from(data));
    this.bytes += data.length;
    return name;
  }

  /** Bytes held, live or not yet dropped. */
  get storedBytes(): number {
    return this.bytes;
  }

  get(sha256: string, range?: { start: number; end: number }): Buffer {
    const body = this.bodies.get(sha256);
    if (!body) throw new Error(`S3 body ${sha256} is missing from memory`);
    return range ? body.subarray(range.start, range.end + 1) : body;
  }

  collect(live: Set<string>): void {
    for (const [name, body] of this.bodies)
      if (!live.has(name)) {
        this.bodies.delete(name);
        this.bytes -= body.length;
      }
    this.liveBytes = this.bytes;
  }
}

/** One file per distinct body, named by its sha256, written to a temporary name, fsynced and renamed. */
export class FileBlobStore implements BlobStore {
  constructor(readonly dir: string) {}

  /** Creates the directory; throws a message naming it when it cannot be used. */
  open(): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      fs.accessSync(this.dir, fs.constants.W_OK | fs.constants.R_OK);
    } catch (e) {
      throw new Error(`cannot use ${this.dir} for S3 object bodies: ${(e as Error).message}`);
    }
  }

  put(data: Buffer): string {
    const name = sha256Hex(data);
    const file = path.join(this.dir, name);
    if (fs.existsSync(file)) return name;
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    fsyncDirSync(this.dir);
    return name;
  }

  get(sha256: string, range?: { start: number; end: number }): Buffer {
    const file = path.join(this.dir, sha256);
    if (!range) return fs.readFileSync(file);
    const out = Buffer.alloc(range.end - range.start + 1);
    const fd = fs.openSync(file, "r");
    try {
      fs.readSync(fd, out, 0, out.length, range.start);
    } finally {
      fs.closeSync(fd);
    }
    return out;
  }

  /** Only safe when the state on disk names no other body (at start, and after the last save). */
  collect(live: Set<string>): void {
    for (const name of fs.readdirSync(this.dir))
      if (!live.has(name)) fs.rmSync(path.join(this.dir, name), { force: true });
  }
}

export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

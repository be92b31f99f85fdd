// Optional persistence of the whole state to one JSON file, written atomically (temp file +
// rename) shortly after each change, so a restarted emulator loses nothing. S3 bodies are base64.
import * as fs from "fs";
import * as path from "path";
import { dict, EmulatorState, S3BucketRecord, STATE_MAPS } from "./state";

export function loadState(file: string): EmulatorState | undefined {
  if (!fs.existsSync(file)) return undefined;
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  if (doc?.formatVersion !== 1) throw new Error(`${file} is not an emulator state file (formatVersion 1)`);
  for (const name of STATE_MAPS) doc[name] = dict(doc[name]);
  for (const bucket of Object.values(doc.buckets as Record<string, S3BucketRecord>)) {
    bucket.objects = dict(bucket.objects);
    for (const object of Object.values(bucket.objects)) object.data = Buffer.from(object.data as unknown as string, "base64");
  }
  return doc as EmulatorState;
}

export function serializeState(state: EmulatorState): string {
  return JSON.stringify(state, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return Buffer.isBuffer(raw) ? raw.toString("base64") : value;
  });
}

/** Coalesces bursts of changes into one write; `flush` waits for the latest state to be on disk. */
export class StateSaver {
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    private readonly getState: () => EmulatorState,
    private readonly delayMs = 25,
  ) {}

  saveSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write();
    }, this.delayMs);
  }

  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.write();
    }
    await this.writing;
  }

  private write(): Promise<void> {
    const text = serializeState(this.getState());
    this.writing = this.writing.then(async () => {
      await fs.promises.mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await fs.promises.writeFile(tmp, text);
      await fs.promises.rename(tmp, this.file);
    });
    return this.writing;
  }
}

// Optional persistence of the state to one JSON file, with S3 bodies as content-addressed files
// beside it (`<stateFile>.bodies/<sha256>`, blobs.ts). A change is on disk before its request is
// answered: each save writes a temporary file, fsyncs it, renames it over the state file and
// fsyncs the directory. Saves are grouped: requests that change the state while a save runs share
// the next one, so concurrent clients cost one write, not one each.
import * as fs from "fs";
import * as path from "path";
import { FileBlobStore, fsyncDirSync } from "./blobs";
import { S3BucketRecord } from "./records";
import { SecretBox, secretKeyFile } from "./secrets";
import { dict, EmulatorState, liveBodies, STATE_MAPS } from "./state";

export const FORMAT_VERSION = 2;

/** Where the bodies of a state file live. */
export function bodiesDir(stateFile: string): string {
  return `${stateFile}.bodies`;
}

/** Thrown at start for a state path the emulator cannot use; the message names the path. */
export class StatePathError extends Error {}

/** Opens a state file: its directory and body store usable, its contents (if any) loaded. */
export function openStateFile(file: string): {
  state?: EmulatorState;
  blobs: FileBlobStore;
  secrets: SecretBox;
} {
  const absolute = path.resolve(file);
  try {
    fs.mkdirSync(path.dirname(absolute), { recursive: true });
  } catch (e) {
    throw new StatePathError(
      `stateFile ${absolute}: cannot create its directory: ${(e as Error).message}`,
    );
  }
  const blobs = new FileBlobStore(bodiesDir(absolute));
  try {
    blobs.open();
  } catch (e) {
    throw new StatePathError(`stateFile ${absolute}: ${(e as Error).message}`);
  }
  let secrets: SecretBox;
  try {
    secrets = SecretBox.forStateFile(absolute);
  } catch (e) {
    throw new StatePathError(
      `stateFile ${absolute}: cannot use its secret key: ${(e as Error).message}`,
    );
  }
  let text: string | undefined;
  try {
    text = fs.readFileSync(absolute, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT")
      throw new StatePathError(`stateFile ${absolute}: cannot read it: ${(e as Error).message}`);
  }
  if (text === undefined) return { blobs, secrets };
  let doc: any;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new StatePathError(
      `stateFile ${absolute} is not JSON (${(e as Error).message}); move it away or choose another path`,
    );
  }
  const state = restoreState(doc, absolute, blobs);
  const sealed = Object.values(state.templateJobs).some((j) =>
    Object.values(j.parameters).some((p) => "sealed" in p),
  );
  if (sealed && !fs.existsSync(secretKeyFile(absolute)))
    throw new StatePathError(
      `stateFile ${absolute} holds secrets sealed with ${secretKeyFile(absolute)}, which is missing; restore it or move the state file away`,
    );
  return { state, blobs, secrets };
}

function restoreState(doc: any, file: string, blobs: FileBlobStore): EmulatorState {
  if (doc?.formatVersion === 1) upgradeFromVersion1(doc, blobs);
  if (doc?.formatVersion !== FORMAT_VERSION)
    throw new StatePathError(
      `stateFile ${file} is not an emulator state file (formatVersion ${FORMAT_VERSION}, got ${JSON.stringify(doc?.formatVersion)})`,
    );
  for (const name of STATE_MAPS) doc[name] = dict(doc[name]);
  for (const bucket of Object.values(doc.buckets as Record<string, S3BucketRecord>))
    bucket.objects = dict(bucket.objects);
  const state = doc as EmulatorState;
  const missing = [...liveBodies(state)].find((sha) => !fs.existsSync(path.join(blobs.dir, sha)));
  if (missing)
    throw new StatePathError(
      `stateFile ${file} refers to S3 body ${missing}, which is missing from ${blobs.dir}`,
    );
  return state;
}

/** Version 1 kept S3 bodies as base64 inside the JSON and ordered lists by creation time. */
function upgradeFromVersion1(doc: any, blobs: FileBlobStore): void {
  for (const bucket of Object.values(doc.buckets ?? {}) as any[])
    for (const object of Object.values(bucket.objects ?? {}) as any[]) {
      const data = Buffer.from(object.data, "base64");
      object.sha256 = blobs.put(data);
      object.size = data.length;
      delete object.data;
    }
  let sequence = 1;
  for (const name of ["packages", "importJobs", "applicationInstances"])
    for (const record of (Object.values(doc[name] ?? {}) as any[]).sort(
      (a, b) => a.createdAt - b.createdAt || (a.sequence ?? 0) - (b.sequence ?? 0),
    ))
      record.sequence = sequence++;
  doc.nextSequence = sequence;
  doc.formatVersion = FORMAT_VERSION;
}

export function serializeState(state: EmulatorState): string {
  return JSON.stringify(state);
}

/** Saves the state durably; `save()` resolves once every change made before the call is on disk. */
export class StateSaver {
  /** The save that will include changes made now (not started yet). */
  private next?: Promise<void>;
  /** The latest save started or scheduled. */
  private last?: Promise<void>;

  constructor(
    readonly file: string,
    private readonly getState: () => EmulatorState,
    private readonly log: (line: string) => void,
  ) {}

  save(): Promise<void> {
    if (this.next) return this.next;
    const save = (this.last ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.write();
      });
    this.next = this.last = save;
    save.then(
      () => this.last === save && (this.last = undefined),
      () => this.last === save && (this.last = undefined),
    );
    return save;
  }

  /** Resolves when everything changed so far is on disk (rejects if that save failed). */
  settled(): Promise<void> {
    return this.next ?? this.last ?? Promise.resolve();
  }

  private async write(): Promise<void> {
    const text = serializeState(this.getState());
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      const handle = await fs.promises.open(tmp, "w");
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.promises.rename(tmp, this.file);
      fsyncDirSync(path.dirname(this.file));
    } catch (e) {
      this.log(
        `could not save the state to ${this.file}: ${(e as Error).message}; the changes stay in memory and are saved with the next change`,
      );
      throw e;
    }
  }
}

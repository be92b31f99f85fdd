// One account's quota shared by processes on one machine. Explicit providers run a plugin process
// each, and several stacks may deploy at once: every process with a budget of its own would send
// at the full rate, the service would refuse the surplus, and whoever asked again first would get
// the quota (measured: 3 stacks ending at 126 s, 168 s and 220 s). Here each limited request
// takes a time slot in a directory shared by all processes of the account, region and endpoint:
// slot k of a quota starts at k × interval (milliseconds since the epoch), and a request owns it
// by creating its file exclusively (`wx`), so two processes never own one slot. A request takes the
// first free slot from now on and waits for its time: first come, first served across processes,
// nobody starves, and no process has to keep running for the others.
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Where the slot directories live; "off" keeps every process to its own budget. */
export const QUOTA_DIR_ENV = "PULUMI_PANORAMA_QUOTA_DIR";

/** Slot files are deleted this long after they were last written (far longer than any process waits in line for one), by the next request that sweeps (every SWEEP_EVERY_MS). */
export const KEEP_SLOTS_MS = 60_000;
export const SWEEP_EVERY_MS = 5_000;

/** How many intervals a request waits at most for the answer to the one before it. */
export const WAIT_FOR_PREVIOUS = 3;

/** How often a request looks whether the request of the slot before it has gone. */
const LOOK_AGAIN_MS = 10;

/** One quota of the account, cut into slots. */
export interface Quota {
  /** "CreatePackageImportJob", "account". */
  name: string;
  intervalMs: number;
  /** Requests in one slot. */
  perSlot: number;
  /**
   * Each request leaves at least this long after the answer to the one before, not only by its
   * slot (perSlot 1): for a quota the service holds as a bucket of one request, where two requests
   * of neighbouring slots that arrive closer than that (a late timer, a slow first request) would
   * see one of them refused.
   */
  afterAnswerMs?: number;
}

/** A place in a slot a request owns, from the moment it may go. */
export interface Slot {
  /** The request's answer arrived (or it failed): the next slot's request may go an interval later. */
  answered(): void;
}

/**
 * The slot directory of one account, region and endpoint, or undefined when it cannot be written
 * (the process then keeps to its own budget). The directory name is a hash: no key or endpoint
 * is written anywhere.
 */
export function quotaSlotsFor(
  account: string,
  env: Record<string, string | undefined> = process.env,
): QuotaSlots | undefined {
  const base = env[QUOTA_DIR_ENV]?.trim() || path.join(os.tmpdir(), "pulumi-panorama-quota");
  if (base === "off") return undefined;
  const dir = path.join(base, createHash("sha256").update(account).digest("hex").slice(0, 24));
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.accessSync(dir, fs.constants.W_OK);
    return new QuotaSlots(dir);
  } catch {
    return undefined;
  }
}

/**
 * A slot file of a quota spaced by answers holds the time its request was answered: the next slot's request
 * waits for that as well as for its own slot, one interval after it. The service counts a request
 * when it arrives, which is before its answer and after it left; spacing answers from sends keeps
 * two requests of one quota an interval apart at the service whatever the network, the machine's
 * load or a first request's start-up (the SDK loads its modules and opens its connection after the
 * request left) add on the way, at the cost of one round trip per request.
 */
export class QuotaSlots {
  /** The highest slot this process owns, per quota: the search for a free one starts after it. */
  private readonly lastOwned = new Map<string, number>();
  private lastSweep = 0;
  /** Set once the directory failed: the budget then goes on without it. */
  broken = false;

  constructor(readonly dir: string) {}

  /**
   * Takes the first free place in a slot of `quota` from the current slot on and resolves when its
   * request may go: at once if the current slot has room, else at its slot's start.
   */
  async take(quota: Quota): Promise<Slot> {
    const name = `${quota.name}@${Math.round(quota.intervalMs)}`;
    this.sweep();
    const from = Math.floor(Date.now() / quota.intervalMs);
    let index = Math.max(from, this.lastOwned.get(name) ?? from);
    let place = 0;
    for (;;) {
      try {
        fs.closeSync(fs.openSync(this.file(name, index, place), "wx"));
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw this.fail(e);
        if (++place >= quota.perSlot) (index++, (place = 0));
      }
    }
    this.lastOwned.set(name, index);
    await sleep(index * quota.intervalMs - Date.now());
    if (quota.afterAnswerMs === undefined) return { answered: () => {} };
    await this.afterPrevious(name, index, quota.intervalMs, quota.afterAnswerMs);
    const own = this.file(name, index, 0);
    return { answered: () => write(own, Date.now()) };
  }

  /**
   * Waits until the request of the last slot taken before this one was answered, and `afterAnswer`
   * after it; slots left free in between count as answered at their start. An answer not there
   * WAIT_FOR_PREVIOUS intervals after this wait began is not waited for any longer: that request
   * may never come (its process ended). The wait counts from now, not from the slot's start: when
   * round trips put the requests behind their slots, the one before is as late as this one.
   */
  private async afterPrevious(
    name: string,
    index: number,
    interval: number,
    afterAnswer: number,
  ): Promise<void> {
    const latest = Date.now() + WAIT_FOR_PREVIOUS * interval;
    for (let back = 1; back <= WAIT_FOR_PREVIOUS + 1; back++) {
      const previous = this.file(name, index - back, 0);
      for (;;) {
        let text: string | undefined;
        try {
          text = fs.readFileSync(previous, "utf8");
        } catch {
          break; // a free slot: look further back
        }
        const now = Date.now();
        if (text) return sleep(Number(text) + afterAnswer - now);
        if (now >= latest) return;
        await sleep(Math.min(LOOK_AGAIN_MS, latest - now));
      }
    }
  }

  private file(name: string, index: number, place: number): string {
    return path.join(this.dir, `${name}.${index}.${place}`);
  }

  /** Deletes slot files last written more than KEEP_SLOTS_MS ago (taken or answered then). */
  private sweep(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (e) {
      throw this.fail(e);
    }
    for (const file of names) {
      const at = path.join(this.dir, file);
      fs.stat(at, (error, stat) => {
        if (!error && stat.mtimeMs < now - KEEP_SLOTS_MS) fs.rm(at, { force: true }, () => {});
      });
    }
  }

  private fail(e: unknown): unknown {
    this.broken = true;
    return e;
  }
}

function write(file: string, time: number): void {
  try {
    fs.writeFileSync(file, String(time));
  } catch {
    /* swept or unwritable: the next request waits for its own slot only */
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

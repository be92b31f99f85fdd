// What the Pulumi engine would record, for tests that call the provider's methods directly: a
// successful create or update stores id and outputs; a failure that carries an id (a
// RecordedFailure, Pulumi's partial failure) stores that; any other failure stores nothing.
// Refresh replaces outputs or drops a vanished resource; destroy removes it only on success.
// `up` on a recorded resource runs diff and then update or replace, as the engine does.
import * as assert from "assert";
import { ListPackageImportJobsCommand, PanoramaClient } from "@aws-sdk/client-panorama";
import { packageImportJobImplementation as impl } from "../../provider/resources/packageImportJob";
import { RecordedFailure } from "../../provider/lifecycle/recordedFailure";

type Props = Record<string, any>;

export interface Recorded {
  id: string;
  outputs: Props;
  /** The engine keeps a partial failure's reasons as init errors. */
  initErrors?: string[];
}

export type RunResult = { ok: true } | { ok: false; error: Error; message: string };

export class Ledger {
  readonly resources = new Map<string, Recorded>();

  /** `pulumi up` for one resource. */
  async up(name: string, inputs: Props): Promise<RunResult> {
    const old = this.resources.get(name);
    return this.run(name, async () => {
      if (!old) return this.record(name, await impl.create(inputs));
      const d = await impl.diff(old.id, old.outputs, inputs);
      if (d.replaces && d.replaces.length > 0) {
        const created = await impl.create(inputs);
        await impl.delete(old.id, old.outputs);
        return this.record(name, created);
      }
      if (d.changes || old.initErrors) return this.record(name, { id: old.id, outs: (await impl.update(old.id, old.outputs, inputs)).outs });
    });
  }

  /** `pulumi refresh` for one resource. */
  async refresh(name: string): Promise<RunResult> {
    const old = this.resources.get(name);
    assert.ok(old, `${name} is not in the stack`);
    return this.run(name, async () => {
      const r = await impl.read(old.id, old.outputs);
      if (!r.id) this.resources.delete(name);
      else this.resources.set(name, { id: r.id, outputs: r.props! });
    });
  }

  /** `pulumi destroy` for one resource. */
  async destroy(name: string): Promise<RunResult> {
    const old = this.resources.get(name);
    assert.ok(old, `${name} is not in the stack`);
    return this.run(name, async () => {
      await impl.delete(old.id, old.outputs);
      this.resources.delete(name);
    });
  }

  ids(): string[] {
    return [...this.resources.values()].map((r) => r.id).sort();
  }

  private record(name: string, result: { id: string; outs?: Props }): void {
    this.resources.set(name, { id: result.id, outputs: result.outs ?? {} });
  }

  private async run(name: string, step: () => Promise<void>): Promise<RunResult> {
    try {
      await step();
      return { ok: true };
    } catch (e) {
      if (e instanceof RecordedFailure) this.resources.set(name, { id: e.id, outputs: e.properties, initErrors: e.reasons });
      // The engine shows a partial failure's reasons, and a plain error's message.
      const message = e instanceof RecordedFailure ? e.reasons.join("\n") : (e as Error).message;
      return { ok: false, error: e as Error, message };
    }
  }
}

/** Every import job id the emulator holds, read from its state (not rate limited, not faulted). */
export function jobIdsInEmulator(emu: { control: { state(): Record<string, unknown> } }): string[] {
  return Object.keys(emu.control.state().importJobs as Record<string, unknown>).sort();
}

/** Every import job id the service holds, through the API. */
export async function jobIdsInService(panorama: PanoramaClient): Promise<string[]> {
  const ids: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await panorama.send(new ListPackageImportJobsCommand({ NextToken, MaxResults: 25 }));
    ids.push(...page.PackageImportJobs!.map((j) => j.JobId!));
    NextToken = page.NextToken;
  } while (NextToken);
  return ids.sort();
}

// Lists keep creation order even when every record is made in the same millisecond: the emulator
// orders by a creation sequence number, never by timestamp and random id. The handlers run on a
// runtime whose clock stands still, so the test does not depend on how fast the machine is.
import * as assert from "assert";
import {
  createApplicationInstance,
  listApplicationInstances,
} from "../../emulator/panorama/applicationInstances";
import { createServiceClock } from "../../emulator/state/serviceClock";
import { initialState } from "../../emulator/control/reset";
import { createPackageImportJob, listPackageImportJobs } from "../../emulator/panorama/importJobs";
import { MemoryBlobStore } from "../../emulator/state/blobs";
import { resolveOptions } from "../../emulator/options";
import { createPackage, listPackages } from "../../emulator/panorama/packages";
import { Runtime } from "../../emulator/state/runtime";
import { SecretBox } from "../../emulator/state/secrets";
import { emptyState, liveBodies } from "../../emulator/state/state";
import { graphManifest } from "../support/packageFixtures";

function frozenRuntime(): Runtime {
  const options = resolveOptions({ quotas: { packages: 100, applicationInstancesPerDevice: 100 } });
  const rt: Runtime = {
    state: emptyState(),
    blobs: new MemoryBlobStore(() => liveBodies(rt.state)),
    secrets: SecretBox.inMemory(),
    options,
    timing: structuredClone(options.timing),
    clock: createServiceClock(() => 1_700_000_000_000),
    random: Math.random,
    log: () => {},
    dirty: false,
  };
  rt.state = initialState(rt, emptyState);
  return rt;
}

function walk<T>(list: (nextToken?: string) => { items: T[]; next?: string }): T[] {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = list(token);
    out.push(...page.items);
    token = page.next;
  } while (token);
  return out;
}

describe("emulator: lists keep creation order within one millisecond", () => {
  const N = 40;

  it("ListPackages: oldest first, across pages", () => {
    const rt = frozenRuntime();
    const created = Array.from(
      { length: N },
      (_, i) => createPackage(rt, { PackageName: `same_ms_${i}` }).PackageId,
    );
    const listed = walk((NextToken) => {
      const page = listPackages(rt, { MaxResults: 7, NextToken });
      return { items: page.Packages.map((p) => p.PackageId), next: page.NextToken };
    });
    assert.deepStrictEqual(listed, created);
  });

  it("ListPackageImportJobs and ListApplicationInstances: newest first, across pages", () => {
    const rt = frozenRuntime();
    const jobs = Array.from(
      { length: N },
      (_, i) =>
        createPackageImportJob(rt, {
          ClientToken: `token-${i}`,
          JobType: "NODE_PACKAGE_VERSION",
          InputConfig: {
            PackageVersionInputConfig: { S3Location: { BucketName: "b", ObjectKey: `k${i}` } },
          },
          OutputConfig: {
            PackageVersionOutputConfig: { PackageName: `p${i}`, PackageVersion: "1.0" },
          },
        } as any).JobId,
    );
    const listedJobs = walk((NextToken) => {
      const page = listPackageImportJobs(rt, { MaxResults: 6, NextToken } as any);
      return { items: page.PackageImportJobs.map((j: any) => j.JobId), next: page.NextToken };
    });
    assert.deepStrictEqual(listedJobs, [...jobs].reverse());

    const device = Object.keys(rt.state.devices)[0];
    const manifest = graphManifest(rt.options.accountId, []);
    const apps = Array.from(
      { length: N },
      () =>
        createApplicationInstance(rt, {
          ManifestPayload: { PayloadData: manifest },
          DefaultRuntimeContextDevice: device,
        }).ApplicationInstanceId,
    );
    const listedApps = walk((NextToken) => {
      const page = listApplicationInstances(rt, { MaxResults: 9, NextToken } as any);
      return {
        items: page.ApplicationInstances.map((a: any) => a.ApplicationInstanceId),
        next: page.NextToken,
      };
    });
    assert.deepStrictEqual(listedApps, [...apps].reverse());
  });
});

// The public API as a program sees it: typed outputs that `apply` can walk without Input<>, every
// resource exported, and options that cannot apply refused before anything is registered.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as panorama from "../../provider";

/**
 * Compiled by `npm run typecheck`, never run: nested outputs are plain values, so these lines
 * compile only while the output interfaces carry no Input<> (issue 10).
 */
export function typedOutputs(
  job: panorama.PackageImportJob,
  pkg: panorama.Package,
  version: panorama.PackageVersion,
  app: panorama.ApplicationInstance,
) {
  const bucket: pulumi.Output<string> = job.inputConfig.apply(
    (c) => c.packageVersionInputConfig.s3Location.bucketName,
  );
  const latest: pulumi.Output<boolean | undefined> = job.outputConfig.apply(
    (c) => c.packageVersionOutputConfig.markLatest,
  );
  const tagged: pulumi.Output<string[]> = job.jobTags.apply((tags) =>
    (tags ?? []).map((t) => t.tags["team"]),
  );
  const stored: pulumi.Output<string> = job.output.apply((o) => o.outputS3Location.objectKey);
  const manifests: pulumi.Output<string> = pkg.storageLocation.apply(
    (s) => s.manifestPrefixLocation,
  );
  const registered: pulumi.Output<boolean> = version.isLatestPatch;
  const patches: pulumi.Output<string[]> = app.packages.apply((ps) =>
    ps.map((p) => p.patchVersion),
  );
  return { bucket, latest, tagged, stored, manifests, registered, patches };
}

describe("public API", () => {
  it("exports every resource class", () => {
    for (const name of [
      "PackageImportJob",
      "Package",
      "PackageVersion",
      "ApplicationInstance",
      "CameraNode",
      "DeviceJob",
    ] as const)
      assert.strictEqual(typeof panorama[name], "function", name);
  });

  it("refuses an explicit opts.provider, saying what to use instead", () => {
    const provider = {
      urn: "urn:pulumi:dev::p::pulumi:providers:aws::default",
    } as unknown as pulumi.ProviderResource;
    const made: [string, () => unknown][] = [
      ["Package", () => new panorama.Package("p", { packageName: "P" }, { provider })],
      ["PackageImportJob", () => new panorama.PackageImportJob("j", {}, { provider })],
      [
        "CameraNode",
        () => new panorama.CameraNode("c", {} as panorama.CameraNodeArgs, { provider }),
      ],
      ["DeviceJob", () => new panorama.DeviceJob("d", { jobType: "REBOOT" }, { provider })],
      [
        "PackageVersion",
        () =>
          new panorama.PackageVersion(
            "v",
            { packageId: "p", packageVersion: "1.0", patchVersion: "x" },
            { provider },
          ),
      ],
      [
        "ApplicationInstance",
        () =>
          new panorama.ApplicationInstance(
            "a",
            { manifestPayload: "{}", defaultRuntimeContextDevice: "d" },
            { provider },
          ),
      ],
    ];
    for (const [type, make] of made)
      assert.throws(make, (e: Error) => {
        assert.match(e.message, new RegExp(`^${type} \\w: opts\\.provider is not supported`));
        assert.match(
          e.message,
          /`region` input, or stack config `aws:region` \/ `aws:endpoints`, instead/,
        );
        return true;
      });
  });
});

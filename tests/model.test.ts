// The status unions written in TypeScript are exactly the model's enums.
import * as assert from "assert";
import { enumValues } from "../model/panoramaModel";
import {
  APPLICATION_INSTANCE_HEALTH_STATUSES,
  APPLICATION_INSTANCE_STATUSES,
  DEVICE_JOB_STATUSES,
  DEVICE_JOB_TYPES,
  PACKAGE_IMPORT_JOB_STATUSES,
  PACKAGE_IMPORT_JOB_TYPES,
  PACKAGE_VERSION_STATUSES,
} from "../model/panoramaTypes";

describe("model status sets", () => {
  it("ApplicationInstanceStatus and health status match the Smithy model", () => {
    assert.deepStrictEqual(
      [...APPLICATION_INSTANCE_STATUSES].sort(),
      enumValues("ApplicationInstanceStatus").sort(),
    );
    assert.deepStrictEqual(
      [...APPLICATION_INSTANCE_HEALTH_STATUSES].sort(),
      enumValues("ApplicationInstanceHealthStatus").sort(),
    );
  });

  it("import-job statuses and types and package-version statuses match the Smithy model", () => {
    assert.deepStrictEqual(
      [...PACKAGE_IMPORT_JOB_STATUSES].sort(),
      enumValues("PackageImportJobStatus").sort(),
    );
    assert.deepStrictEqual(
      [...PACKAGE_IMPORT_JOB_TYPES].sort(),
      enumValues("PackageImportJobType").sort(),
    );
    assert.deepStrictEqual(
      [...PACKAGE_VERSION_STATUSES].sort(),
      enumValues("PackageVersionStatus").sort(),
    );
  });

  it("device-job types and statuses match the Smithy model", () => {
    assert.deepStrictEqual([...DEVICE_JOB_TYPES].sort(), enumValues("JobType").sort());
    assert.deepStrictEqual([...DEVICE_JOB_STATUSES].sort(), enumValues("UpdateProgress").sort());
  });
});

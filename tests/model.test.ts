// The status unions written in TypeScript are exactly the model's enums.
import * as assert from "assert";
import { enumValues } from "../model/panoramaModel";
import { APPLICATION_INSTANCE_HEALTH_STATUSES, APPLICATION_INSTANCE_STATUSES } from "../model/panoramaTypes";

describe("model status sets", () => {
  it("ApplicationInstanceStatus and health status match the Smithy model", () => {
    assert.deepStrictEqual([...APPLICATION_INSTANCE_STATUSES].sort(), enumValues("ApplicationInstanceStatus").sort());
    assert.deepStrictEqual([...APPLICATION_INSTANCE_HEALTH_STATUSES].sort(), enumValues("ApplicationInstanceHealthStatus").sort());
  });
});

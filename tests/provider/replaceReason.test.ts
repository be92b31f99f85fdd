// The "replaced, because …" line the dynamic door puts on a resource's row (the host drops
// detailed diffs): it names what the program changed, never an input derived from it, and says
// what the recorded state shows when that is the reason.
import * as assert from "assert";
import { replaceReason } from "../../provider/lifecycle/dynamicDoor";
import { lifecycleOf } from "../../provider/resources/registry";

describe("the reason a dynamic resource is replaced", () => {
  const job = lifecycleOf("PackageImportJob").spec;

  it("names the changed input, not the client token derived from it", () => {
    assert.strictEqual(
      replaceReason(job, {}, ["outputConfig", "clientToken"]),
      "`outputConfig` changed (set only when it is created)",
    );
  });

  it("says what the recorded state shows when a FAILED job is replaced", () => {
    assert.strictEqual(
      replaceReason(job, { status: "FAILED" }, ["inputConfig", "clientToken", "status"]),
      '`inputConfig` changed (set only when it is created); the recorded `status` is "FAILED"',
    );
    assert.strictEqual(
      replaceReason(job, { status: "FAILED" }, ["status"]),
      'the recorded `status` is "FAILED"',
    );
  });
});

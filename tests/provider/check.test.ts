// check(): every constraint of CreatePackageImportJob in the API model, named by property and
// rule, before any API call. The Smithy model is the oracle for the limits.
import * as assert from "assert";
import { packageImportJobImplementation } from "../../provider/resources/packageImportJob";

const { check, checkFailures } = packageImportJobImplementation;
import { shape } from "../../model/panoramaModel";
import { UNKNOWN } from "../../provider/lifecycle/unknowns";

function validInputs(): Record<string, any> {
  return {
    jobType: "NODE_PACKAGE_VERSION",
    inputConfig: {
      packageVersionInputConfig: {
        s3Location: { bucketName: "my-bucket", objectKey: "pkgs/package.json" },
      },
    },
    outputConfig: {
      packageVersionOutputConfig: {
        packageName: "SAMPLE_CODE",
        packageVersion: "1.0",
        markLatest: true,
      },
    },
    clientToken: "token-1",
    jobTags: [{ resourceType: "PACKAGE", tags: { team: "vision" } }],
  };
}

function set(obj: any, path: string, value: unknown) {
  const parts = path.split(".");
  let o = obj;
  for (const p of parts.slice(0, -1)) o = o[p];
  if (value === undefined) delete o[parts[parts.length - 1]];
  else o[parts[parts.length - 1]] = value;
  return obj;
}

function lengthOf(name: string) {
  return shape(name).traits!["smithy.api#length"] as { min: number; max: number };
}

const OUT = "outputConfig.packageVersionOutputConfig";
const S3 = "inputConfig.packageVersionInputConfig.s3Location";

const cases: [string, unknown, RegExp][] = [
  [
    "jobType",
    "ZIP",
    /jobType: must satisfy enum value set: \[NODE_PACKAGE_VERSION, MARKETPLACE_NODE_PACKAGE_VERSION\]/,
  ],
  ["clientToken", "has space", /clientToken: must satisfy regular expression pattern/],
  [
    "clientToken",
    "x".repeat(lengthOf("ClientToken").max + 1),
    /clientToken: must have length less than or equal to 64/,
  ],
  ["clientToken", "", /clientToken: must have length greater than or equal to 1/],
  [
    `${OUT}.packageName`,
    "my package",
    /outputConfig\.packageVersionOutputConfig\.packageName: must satisfy regular expression pattern/,
  ],
  [
    `${OUT}.packageName`,
    "p".repeat(lengthOf("NodePackageName").max + 1),
    /packageName: must have length less than or equal to 128/,
  ],
  [
    `${OUT}.packageName`,
    undefined,
    /outputConfig\.packageVersionOutputConfig\.packageName: must not be null/,
  ],
  [
    `${OUT}.packageVersion`,
    "1",
    /packageVersion: must satisfy regular expression pattern: \^\(\[0-9\]\+\)/,
  ],
  [`${OUT}.markLatest`, "yes", /markLatest: must be a boolean/],
  [`${S3}.bucketName`, "", /s3Location\.bucketName: must have length greater than or equal to 1/],
  [`${S3}.objectKey`, undefined, /s3Location\.objectKey: must not be null/],
  [`${S3}.objectKey`, "k".repeat(256), /objectKey: must have length less than or equal to 255/],
  [`${S3}.region`, "", /s3Location\.region: must have length greater than or equal to 1/],
  [`${S3}.bucket`, "typo", /s3Location\.bucket: is not part of the API/],
];

describe("PackageImportJob check", () => {
  it("accepts valid inputs and fills in the default jobType", async () => {
    const { jobType, ...rest } = validInputs();
    const result = await check({}, rest);
    assert.deepStrictEqual(result.failures, []);
    assert.strictEqual(result.inputs!.jobType, "NODE_PACKAGE_VERSION");
  });

  for (const [path, value, reason] of cases) {
    it(`refuses ${path} = ${JSON.stringify(value)?.slice(0, 20)}`, () => {
      const failures = checkFailures(set(validInputs(), path, value));
      const top = path.split(".")[0];
      assert.ok(
        failures.some((f) => f.property === top && reason.test(f.reason)),
        `expected ${reason} on ${top}, got ${JSON.stringify(failures)}`,
      );
    });
  }

  it("names tag keys and values that break the TagMap rules", () => {
    const inputs = validInputs();
    inputs.jobTags = [{ resourceType: "BUCKET", tags: { "": "v", ok: "x".repeat(257) } }];
    const reasons = checkFailures(inputs).map((f) => `${f.property} ${f.reason}`);
    assert.ok(
      reasons.some((r) =>
        /^jobTags jobTags\[0\]\.resourceType: must satisfy enum value set: \[PACKAGE\]/.test(r),
      ),
      reasons.join("\n"),
    );
    assert.ok(
      reasons.some((r) =>
        /jobTags\[0\]\.tags\[""\]: key must have length greater than or equal to 1/.test(r),
      ),
      reasons.join("\n"),
    );
    assert.ok(
      reasons.some((r) =>
        /jobTags\[0\]\.tags\["ok"\]: must have length less than or equal to 256/.test(r),
      ),
      reasons.join("\n"),
    );
  });

  it("refuses more than 50 tags (TagMap length)", () => {
    const inputs = validInputs();
    inputs.jobTags[0].tags = Object.fromEntries(
      Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]),
    );
    assert.ok(
      checkFailures(inputs).some((f) =>
        /jobTags\[0\]\.tags: must have entries less than or equal to 50/.test(f.reason),
      ),
    );
  });

  it("requires the package-version configs the service needs in practice", () => {
    const inputs = validInputs();
    inputs.inputConfig = {};
    inputs.outputConfig = {};
    const props = checkFailures(inputs)
      .map((f) => f.property)
      .sort();
    assert.deepStrictEqual(props, ["inputConfig", "outputConfig"]);
  });

  it("requires inputConfig and outputConfig unless adopting", () => {
    const failures = checkFailures({ jobType: "NODE_PACKAGE_VERSION" });
    assert.ok(
      failures.some(
        (f) => f.property === "inputConfig" && /inputConfig: must not be null/.test(f.reason),
      ),
    );
    assert.ok(failures.some((f) => f.property === "outputConfig"));
    assert.deepStrictEqual(checkFailures({ adoptJobId: "packageImportJob-abc" }), []);
    assert.ok(checkFailures({ adoptJobId: "bad id!" }).some((f) => f.property === "adoptJobId"));
  });

  it("checks the provider's own options", () => {
    const inputs = {
      ...validInputs(),
      region: "US East",
      waitOptions: { timeoutSeconds: -1, minDelaySeconds: 5, maxDelaySeconds: 1, pollEvery: 3 },
      deregisterOnDelete: "no",
      colour: "red",
    };
    const reasons = checkFailures(inputs).map((f) => `${f.property}: ${f.reason}`);
    for (const expected of [
      /^region: region: must be an AWS region name/,
      /^waitOptions: waitOptions\.timeoutSeconds: must be a number greater than 0/,
      /^waitOptions: waitOptions\.pollEvery: unknown option/,
      /^deregisterOnDelete: deregisterOnDelete: must be a boolean/,
      /^colour: colour: unknown property of PackageImportJob/,
    ])
      assert.ok(
        reasons.some((r) => expected.test(r)),
        `${expected} not in\n${reasons.join("\n")}`,
      );
    const minMax = checkFailures({
      ...validInputs(),
      waitOptions: { minDelaySeconds: 5, maxDelaySeconds: 1 },
    });
    assert.ok(
      minMax.some((f) => /minDelaySeconds: must not exceed maxDelaySeconds/.test(f.reason)),
    );
  });

  it("lets unknown values through during preview", () => {
    const inputs = validInputs();
    inputs.inputConfig.packageVersionInputConfig.s3Location.bucketName = UNKNOWN;
    inputs.outputConfig = UNKNOWN;
    inputs.clientToken = UNKNOWN;
    assert.deepStrictEqual(checkFailures(inputs), []);
  });
});

import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import {
  applicationManifest,
  applicationManifestOutput,
  ApplicationManifest,
  ApplicationManifestArgs,
  interfaceOf,
  ManifestValidationError,
  manifestOverrides,
  manifestOverridesOutput,
  PackageRef,
  packageRef,
  packageRefOutput,
  validateApplicationManifest,
  validateManifestOverrides,
} from "../../provider/manifest/applicationManifest";
import {
  EDGE_ENDPOINT_PATTERN,
  NODE_INTERFACE_PATTERN,
  NODE_NAME_PATTERN,
  PACKAGE_INCLUDE_NAME_PATTERN,
  PACKAGE_INCLUDE_VERSION_PATTERN,
} from "../../model/graphRules";

const ACCOUNT = "123456789012";
const PATCH = "a".repeat(64);
const PACKAGE_ARN = `arn:aws:panorama:us-west-2:${ACCOUNT}:package/package-226t5xm5k6j6lahmcwy5ec6sky`;

// DG sample-apps/aws-panorama-sample/graphs/my-app/graph.json, as the service would parse it.
function dgSampleGraph(): ApplicationManifest {
  return {
    nodeGraph: {
      envelopeVersion: "2021-01-01",
      packages: [
        { name: "123456789012::SAMPLE_CODE", version: "1.0" },
        { name: "123456789012::SQUEEZENET_PYTORCH", version: "1.0" },
        { name: "panorama::abstract_rtsp_media_source", version: "1.0" },
        { name: "panorama::hdmi_data_sink", version: "1.0" },
      ],
      nodes: [
        { name: "code_node", interface: "123456789012::SAMPLE_CODE.interface" },
        { name: "model_node", interface: "123456789012::SQUEEZENET_PYTORCH.interface" },
        {
          name: "camera_node",
          interface: "panorama::abstract_rtsp_media_source.rtsp_v1_interface",
          overridable: true,
          overrideMandatory: true,
          decorator: { title: "IP camera", description: "Choose a camera stream." },
        },
        { name: "output_node", interface: "panorama::hdmi_data_sink.hdmi0" },
        {
          name: "detection_threshold",
          interface: "float32",
          value: 20.0,
          overridable: true,
          decorator: {
            title: "Threshold",
            description: "The minimum confidence percentage for a positive classification.",
          },
        },
        {
          name: "region",
          interface: "string",
          value: "us-east-1",
          overridable: true,
          decorator: { title: "Region", description: "Region used by AWS SDK for Python." },
        },
        {
          name: "device_id",
          interface: "string",
          value: "1234ABCD",
          overridable: true,
          decorator: {
            title: "Device name",
            description: "Name of the device for application metrics.",
          },
        },
        {
          name: "log_level",
          interface: "string",
          value: "INFO",
          overridable: true,
          decorator: {
            title: "Logging level",
            description: "DEBUG, INFO, WARNING, ERROR, or CRITICAL.",
          },
        },
      ],
      edges: [
        { producer: "camera_node.video_out", consumer: "code_node.video_in" },
        { producer: "code_node.video_out", consumer: "output_node.video_in" },
        { producer: "detection_threshold", consumer: "code_node.threshold" },
        { producer: "region", consumer: "code_node.region" },
        { producer: "device_id", consumer: "code_node.device_id" },
        { producer: "log_level", consumer: "code_node.log_level" },
      ],
    },
  };
}

// The same graph through the builder, the way a Pulumi program writes it.
function dgSampleArgs(
  code: PackageRef = { owner: ACCOUNT, name: "SAMPLE_CODE", version: "1.0" },
): ApplicationManifestArgs {
  const model: PackageRef = { owner: ACCOUNT, name: "SQUEEZENET_PYTORCH", version: "1.0" };
  const camera: PackageRef = {
    owner: "panorama",
    name: "abstract_rtsp_media_source",
    version: "1.0",
  };
  const hdmi: PackageRef = { owner: "panorama", name: "hdmi_data_sink", version: "1.0" };
  const sample = dgSampleGraph().nodeGraph;
  return {
    packages: [code, model, camera, hdmi],
    nodes: [
      { name: "code_node", package: code, interfaceName: "interface" },
      { name: "model_node", package: model, interfaceName: "interface" },
      sample.nodes[2],
      { name: "output_node", package: hdmi, interfaceName: "hdmi0" },
      ...sample.nodes.slice(4),
    ],
    edges: sample.edges,
  };
}

/** The graph with one change applied, for rule-by-rule validation tests. */
function mutated(change: (g: any) => void): ApplicationManifest {
  const doc = dgSampleGraph() as any;
  change(doc.nodeGraph);
  return doc;
}

function thrown(f: () => unknown): ManifestValidationError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof ManifestValidationError, `expected a ManifestValidationError, got ${e}`);
    return e;
  }
  assert.fail("expected the call to throw");
}

describe("applicationManifest (graph.json builder)", () => {
  it("builds the DG sample graph as compact JSON identical to the sample's content", () => {
    const text = applicationManifest(dgSampleArgs());
    assert.equal(text, JSON.stringify(dgSampleGraph()));
    assert.ok(!/\s(?=(?:[^"]*"[^"]*")*[^"]*$)/.test(text), "no whitespace outside strings");
  });

  it("accepts the DG sample as a document, and its pretty-printed text only without line breaks", () => {
    assert.deepEqual(validateApplicationManifest(dgSampleGraph()), []);
    assert.deepEqual(validateApplicationManifest(JSON.stringify(dgSampleGraph())), []);
    assert.deepEqual(validateApplicationManifest(JSON.stringify(dgSampleGraph(), null, 4)), [
      "manifestPayload.payloadData: must match ^.+$ (ManifestPayloadData); remove line breaks, e.g. send compact JSON",
    ]);
  });

  it("pins each imported package to the patch version its import job produced", () => {
    const code = packageRef({
      packageArn: PACKAGE_ARN,
      packageName: "SAMPLE_CODE",
      packageVersion: "1.0",
      patchVersion: PATCH,
    });
    const graph = JSON.parse(applicationManifest(dgSampleArgs(code)));
    assert.deepEqual(graph.nodeGraph.packages[0], {
      name: "123456789012::SAMPLE_CODE",
      version: "1.0",
      patchVersion: PATCH,
    });
    // Only the pinned package carries a patchVersion; the others follow their latest patch.
    assert.deepEqual(
      graph.nodeGraph.packages.map((p: any) => p.patchVersion),
      [PATCH, undefined, undefined, undefined],
    );
    assert.equal(graph.nodeGraph.nodes[0].interface, "123456789012::SAMPLE_CODE.interface");
  });

  it("accepts graph.json package entries as they are, next to references by parts", () => {
    const text = applicationManifest({
      packages: [{ name: "panorama::hdmi_data_sink", version: "1.0" }],
      nodes: [{ name: "out", interface: "panorama::hdmi_data_sink.hdmi0" }],
    });
    assert.equal(
      text,
      '{"nodeGraph":{"envelopeVersion":"2021-01-01","packages":[{"name":"panorama::hdmi_data_sink","version":"1.0"}],' +
        '"nodes":[{"name":"out","interface":"panorama::hdmi_data_sink.hdmi0"}],"edges":[]}}',
    );
  });

  it("refuses an invalid graph with every problem named by its field path", () => {
    const args = dgSampleArgs();
    args.nodes.push({ name: "code_node", interface: "string", value: "x" });
    args.edges!.push({ producer: "ghost.out", consumer: "code_node.in" });
    const e = thrown(() => applicationManifest(args));
    assert.deepEqual(e.problems, [
      'nodeGraph.nodes[8].name: node "code_node" is already declared at nodeGraph.nodes[0]',
      'nodeGraph.edges[6].producer: refers to node "ghost", which is not declared in nodeGraph.nodes',
    ]);
    assert.match(
      e.message,
      /^Invalid application manifest \(graph\.json\):\n {2}- nodeGraph\.nodes\[8\]\.name/,
    );
    assert.match(e.message, /run `pulumi up` again/);
  });
});

describe("packageRef (a package from an import job's outputs)", () => {
  it("takes the owner account from the package ARN", () => {
    assert.deepEqual(
      packageRef({
        packageArn: PACKAGE_ARN,
        packageName: "SAMPLE_CODE",
        packageVersion: "2.3",
        patchVersion: PATCH,
      }),
      { owner: ACCOUNT, name: "SAMPLE_CODE", version: "2.3", patchVersion: PATCH },
    );
    const govCloud = "arn:aws-us-gov:panorama:us-gov-west-1:210987654321:package/package-x";
    assert.equal(
      packageRef({
        packageArn: govCloud,
        packageName: "P",
        packageVersion: "1.0",
        patchVersion: "p1",
      }).owner,
      "210987654321",
    );
  });

  it("uses ownerAccount when no ARN is given, and refuses an ARN that disagrees with it", () => {
    assert.equal(
      packageRef({
        ownerAccount: "panorama",
        packageName: "hdmi_data_sink",
        packageVersion: "1.0",
        patchVersion: "p",
      }).owner,
      "panorama",
    );
    assert.deepEqual(
      thrown(() =>
        packageRef({
          packageArn: PACKAGE_ARN,
          ownerAccount: "999999999999",
          packageName: "P",
          packageVersion: "1.0",
          patchVersion: "p",
        }),
      ).problems,
      ['ownerAccount: "999999999999" disagrees with account 123456789012 of packageArn'],
    );
  });

  it("names each broken argument", () => {
    assert.deepEqual(
      thrown(() =>
        packageRef({ packageName: "bad name", packageVersion: "1", patchVersion: "ABC" } as any),
      ).problems,
      [
        "ownerAccount: give ownerAccount or packageArn (the owner of the package)",
        'packageName: must match ^[a-zA-Z0-9\\-\\_]+$ (got "bad name")',
        'packageVersion: must match ^([0-9]+)\\.([0-9]+)$ (got "1")',
        'patchVersion: must match ^[a-z0-9]+$ (got "ABC")',
      ],
    );
    assert.deepEqual(
      thrown(() =>
        packageRef({
          packageArn: "arn:aws:s3:::bucket",
          packageName: "P",
          packageVersion: "1.0",
          patchVersion: "p",
        }),
      ).problems,
      [
        'packageArn: must be a package ARN arn:<partition>:panorama:<region>:<account>:package/<id> (got "arn:aws:s3:::bucket")',
      ],
    );
  });

  it("catches an Output passed to the plain function instead of packageRefOutput", () => {
    const e = thrown(() =>
      packageRef({
        packageArn: PACKAGE_ARN,
        packageName: "P",
        packageVersion: "1.0",
        patchVersion: pulumi.output("p") as any,
      }),
    );
    assert.equal(e.problems.length, 1);
    assert.match(e.problems[0], /^patchVersion: must be a string \(got /);
  });

  it("interfaceOf joins the package name and the interface name", () => {
    assert.equal(
      interfaceOf({ owner: ACCOUNT, name: "CODE", version: "1.0" }, "interface"),
      `${ACCOUNT}::CODE.interface`,
    );
    assert.equal(
      interfaceOf({ name: "panorama::hdmi_data_sink", version: "1.0" }, "hdmi0"),
      "panorama::hdmi_data_sink.hdmi0",
    );
  });
});

describe("validateApplicationManifest (rules of nodeGraph.schema.json)", () => {
  const cases: [string, (g: any) => void, string[]][] = [
    [
      "an unknown key",
      (g) => (g.extra = 1),
      [
        "nodeGraph.extra: is not allowed (allowed: envelopeVersion, description, packages, nodes, edges, networkRoutingRules)",
      ],
    ],
    [
      "a missing envelopeVersion",
      (g) => delete g.envelopeVersion,
      ['nodeGraph.envelopeVersion: is required ("2021-01-01")'],
    ],
    [
      "another envelopeVersion",
      (g) => (g.envelopeVersion = "2022-01-01"),
      ['nodeGraph.envelopeVersion: must be "2021-01-01" (got "2022-01-01")'],
    ],
    [
      "a description over 255 characters",
      (g) => (g.description = "d".repeat(256)),
      ["nodeGraph.description: must have at most 255 characters (has 256)"],
    ],
    [
      "no packages key",
      (g) => delete g.packages,
      ["nodeGraph.packages: is required and must be a list"],
    ],
    [
      "an empty package list",
      (g) => {
        g.packages = [];
        g.nodes = [{ name: "v", interface: "string", value: "x" }];
        g.edges = [];
      },
      ["nodeGraph.packages: must list at least 1 package"],
    ],
    [
      "an empty node list",
      (g) => {
        g.nodes = [];
        g.edges = [];
      },
      ["nodeGraph.nodes: must list at least 1 node"],
    ],
    [
      "a package name without owner",
      (g) => (g.packages[1].name = "SQUEEZENET_PYTORCH"),
      [
        `nodeGraph.packages[1].name: must match ${PACKAGE_INCLUDE_NAME_PATTERN.source} (got "SQUEEZENET_PYTORCH")`,
        'nodeGraph.nodes[1].interface: uses package "123456789012::SQUEEZENET_PYTORCH", which is not declared in nodeGraph.packages',
      ],
    ],
    [
      "a package version that is not major.minor",
      (g) => (g.packages[0].version = "1.0.0"),
      [
        `nodeGraph.packages[0].version: must match ${PACKAGE_INCLUDE_VERSION_PATTERN.source} (got "1.0.0")`,
      ],
    ],
    [
      "a patchVersion the API cannot name",
      (g) => (g.packages[0].patchVersion = "ABC-1"),
      ['nodeGraph.packages[0].patchVersion: must match ^[a-z0-9]+$ (got "ABC-1")'],
    ],
    [
      "a package listed twice",
      (g) => g.packages.push({ name: "panorama::hdmi_data_sink", version: "2.0" }),
      [
        'nodeGraph.packages[4].name: package "panorama::hdmi_data_sink" is already listed at nodeGraph.packages[3]',
      ],
    ],
    [
      "an unknown package key",
      (g) => (g.packages[0].id = "x"),
      [
        "nodeGraph.packages[0].id: is not allowed (allowed: name, version, patchVersion, generatedPatchVersion, uri)",
      ],
    ],
    [
      "a node name with a space",
      (g) => (g.nodes[3].name = "output node"),
      [
        `nodeGraph.nodes[3].name: must match ${NODE_NAME_PATTERN.source} (got "output node")`,
        'nodeGraph.edges[1].consumer: refers to node "output_node", which is not declared in nodeGraph.nodes',
      ],
    ],
    [
      "a node name over 128 characters",
      (g) => (g.nodes[3].name = "n".repeat(129)),
      [
        "nodeGraph.nodes[3].name: must have at most 128 characters (has 129)",
        'nodeGraph.edges[1].consumer: refers to node "output_node", which is not declared in nodeGraph.nodes',
      ],
    ],
    [
      "a duplicate node name",
      (g) => (g.nodes[1].name = "code_node"),
      ['nodeGraph.nodes[1].name: node "code_node" is already declared at nodeGraph.nodes[0]'],
    ],
    [
      "an interface without package",
      (g) => (g.nodes[2].interface = "rtsp_v1_interface"),
      [
        `nodeGraph.nodes[2].interface: must match ${NODE_INTERFACE_PATTERN.source} or be one of boolean, float32, int32, string (got "rtsp_v1_interface")`,
      ],
    ],
    [
      "a node using an undeclared package",
      (g) => (g.nodes[0].interface = "123456789012::OTHER.interface"),
      [
        'nodeGraph.nodes[0].interface: uses package "123456789012::OTHER", which is not declared in nodeGraph.packages',
      ],
    ],
    [
      "a missing interface",
      (g) => delete g.nodes[0].interface,
      ["nodeGraph.nodes[0].interface: is required"],
    ],
    [
      "a value on an interface node",
      (g) => (g.nodes[0].value = 1),
      [
        "nodeGraph.nodes[0].value: is not allowed on an interface node (allowed: name, interface, overridable, overrideMandatory, launch, decorator)",
      ],
    ],
    [
      "launch on a value node",
      (g) => (g.nodes[7].launch = "onSignal"),
      [
        "nodeGraph.nodes[7].launch: is not allowed on a string node (allowed: name, interface, value, overridable, overrideMandatory, decorator)",
      ],
    ],
    [
      "an unknown launch mode",
      (g) => (g.nodes[2].launch = "later"),
      ['nodeGraph.nodes[2].launch: must be one of onDemand, onAppStart, onSignal (got "later")'],
    ],
    [
      "a string value on a float32 node",
      (g) => (g.nodes[4].value = "20"),
      [
        'nodeGraph.nodes[4].value: must be a number from -3.4028234663852886e+38 to 3.4028234663852886e+38 (got "20")',
      ],
    ],
    [
      "a float32 value out of range",
      (g) => (g.nodes[4].value = 1e39),
      [
        "nodeGraph.nodes[4].value: must be a number from -3.4028234663852886e+38 to 3.4028234663852886e+38 (got 1e+39)",
      ],
    ],
    [
      "a fraction on an int32 node",
      (g) => (g.nodes[4] = { ...g.nodes[4], interface: "int32", value: 2.5 }),
      ["nodeGraph.nodes[4].value: must be an integer from -2147483648 to 2147483647 (got 2.5)"],
    ],
    [
      "an int32 value out of range",
      (g) => (g.nodes[4] = { ...g.nodes[4], interface: "int32", value: 2 ** 31 }),
      [
        "nodeGraph.nodes[4].value: must be an integer from -2147483648 to 2147483647 (got 2147483648)",
      ],
    ],
    [
      "a number on a string node",
      (g) => (g.nodes[5].value = 5),
      ["nodeGraph.nodes[5].value: must be a string (got 5)"],
    ],
    [
      "a string on a boolean node",
      (g) => (g.nodes[5] = { name: "region", interface: "boolean", value: "true" }),
      ['nodeGraph.nodes[5].value: must be a boolean (got "true")'],
    ],
    [
      "a non-boolean overridable",
      (g) => (g.nodes[2].overridable = "yes"),
      ['nodeGraph.nodes[2].overridable: must be a boolean (got "yes")'],
    ],
    [
      "an empty decorator title",
      (g) => (g.nodes[2].decorator.title = ""),
      ["nodeGraph.nodes[2].decorator.title: must have at least 1 character(s)"],
    ],
    [
      "an unknown decorator key",
      (g) => (g.nodes[2].decorator.icon = "cam"),
      [
        "nodeGraph.nodes[2].decorator.icon: is not allowed (allowed: title, description, constraintText, constraintRegex)",
      ],
    ],
    [
      "an edge endpoint that breaks the pattern",
      (g) => (g.edges[0].producer = "camera_node.video out"),
      [
        `nodeGraph.edges[0].producer: must match ${EDGE_ENDPOINT_PATTERN.source} (got "camera_node.video out")`,
      ],
    ],
    [
      "an edge to an undeclared node",
      (g) => (g.edges[1].consumer = "screen.video_in"),
      [
        'nodeGraph.edges[1].consumer: refers to node "screen", which is not declared in nodeGraph.nodes',
      ],
    ],
    [
      "an edge without its consumer",
      (g) => delete g.edges[2].consumer,
      ["nodeGraph.edges[2].consumer: is required"],
    ],
    [
      "a value node as consumer",
      (g) => (g.edges[0].consumer = "log_level"),
      [
        'nodeGraph.edges[0].consumer: "log_level" is a value node, which cannot consume; name an input port <node>.<port>',
      ],
    ],
    [
      "an interface node producing without a port",
      (g) => (g.edges[1].producer = "code_node"),
      [
        'nodeGraph.edges[1].producer: "code_node" must name an output port (<node>.<port>); only value nodes produce without a port',
      ],
    ],
    [
      "a port on a value node",
      (g) => (g.edges[5].producer = "log_level.out"),
      [
        'nodeGraph.edges[5].producer: "log_level.out": value node "log_level" has no ports; use "log_level"',
      ],
    ],
    [
      "a consumer without a port",
      (g) => (g.edges[0].consumer = "code_node"),
      ['nodeGraph.edges[0].consumer: "code_node" must name an input port (<node>.<port>)'],
    ],
  ];
  for (const [what, change, expected] of cases) {
    it(`reports ${what}`, () => {
      assert.deepEqual(validateApplicationManifest(mutated(change)), expected);
    });
  }

  it("reports a document without nodeGraph, and text that is not JSON", () => {
    assert.deepEqual(validateApplicationManifest({ graph: {} }), [
      "nodeGraph: is required and must be an object",
      "graph: is not allowed (allowed: nodeGraph)",
    ]);
    assert.deepEqual(validateApplicationManifest(""), [
      "manifestPayload.payloadData: must not be empty",
      "manifestPayload.payloadData: is not valid JSON (Unexpected end of JSON input)",
    ]);
  });

  it("reports a payload over the API's 51200-character limit, by the text the API would receive", () => {
    const nodes = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        name: `v${i}`,
        interface: "string" as const,
        value: "x".repeat(200),
      }));
    const fits = {
      nodeGraph: {
        ...dgSampleGraph().nodeGraph,
        nodes: [...dgSampleGraph().nodeGraph.nodes, ...nodes(190)],
      },
    };
    const tooBig = {
      nodeGraph: {
        ...dgSampleGraph().nodeGraph,
        nodes: [...dgSampleGraph().nodeGraph.nodes, ...nodes(260)],
      },
    };
    assert.deepEqual(validateApplicationManifest(fits), []);
    const length = JSON.stringify(tooBig).length;
    assert.ok(length > 51200);
    const expected = [
      `manifestPayload.payloadData: is ${length} characters, the API accepts at most 51200 (ManifestPayloadData)`,
    ];
    assert.deepEqual(validateApplicationManifest(tooBig), expected);
    assert.deepEqual(validateApplicationManifest(JSON.stringify(tooBig)), expected);
    const e = thrown(() =>
      applicationManifest({ ...dgSampleArgs(), nodes: [...dgSampleArgs().nodes, ...nodes(260)] }),
    );
    assert.match(
      e.problems[0],
      /^manifestPayload\.payloadData: is \d+ characters, the API accepts at most 51200/,
    );
  });
});

describe("deterministic payloads", () => {
  it("gives byte-identical text for the same inputs, whatever the key order of the arguments", () => {
    const a = applicationManifest(dgSampleArgs());
    const shuffled = dgSampleArgs();
    shuffled.nodes = shuffled.nodes.map(
      (n) => Object.fromEntries(Object.entries(n).reverse()) as any,
    );
    shuffled.packages = shuffled.packages.map(
      (p) => Object.fromEntries(Object.entries(p).reverse()) as any,
    );
    shuffled.edges = shuffled.edges!.map((e) => ({ consumer: e.consumer, producer: e.producer }));
    assert.equal(applicationManifest(shuffled), a);
    assert.equal(applicationManifest(dgSampleArgs()), a);
  });

  it("treats omitted edges and optional members as absent, and changes only when the graph changes", () => {
    const base = {
      packages: [{ owner: "panorama", name: "hdmi_data_sink", version: "1.0" }],
      nodes: [{ name: "out", interface: "panorama::hdmi_data_sink.hdmi0" }],
    };
    assert.equal(
      applicationManifest(base),
      applicationManifest({
        ...base,
        edges: [],
        description: undefined,
        packages: [{ ...base.packages[0], patchVersion: undefined }],
      }),
    );
    const p1 = applicationManifest(
      dgSampleArgs({ owner: ACCOUNT, name: "SAMPLE_CODE", version: "1.0", patchVersion: "p1" }),
    );
    const p2 = applicationManifest(
      dgSampleArgs({ owner: ACCOUNT, name: "SAMPLE_CODE", version: "1.0", patchVersion: "p2" }),
    );
    assert.notEqual(p1, p2);
    assert.equal(p1.replace('"patchVersion":"p1"', '"patchVersion":"p2"'), p2);
  });
});

describe("manifestOverrides (ManifestOverridesPayload)", () => {
  const graph = JSON.stringify(dgSampleGraph());
  const camera: PackageRef = { owner: ACCOUNT, name: "MY_CAMERA", version: "1.0" };
  const dgOverrideArgs = () => ({
    packages: [camera],
    nodes: [
      { name: "camera_node_override", package: camera, interfaceName: "MY_CAMERA" },
      { name: "region_override", interface: "string" as const, value: "MY_REGION" },
      { name: "device_id_override", interface: "string" as const, value: "MY_DEVICE_ID" },
      { name: "log_level_override", interface: "string" as const, value: "INFO" },
    ],
    nodeOverrides: [
      { replace: "region", with: ["region_override"] },
      { replace: "device_id", with: [{ name: "device_id_override" }] },
      { replace: "log_level", with: ["log_level_override"] },
      { replace: "camera_node", with: ["camera_node_override"] },
    ],
  });

  it("builds the DG override.json content with a fixed key order", () => {
    const text = manifestOverrides(dgOverrideArgs(), { manifest: graph });
    assert.equal(
      text,
      '{"nodeGraphOverrides":{"envelopeVersion":"2021-01-01",' +
        '"packages":[{"name":"123456789012::MY_CAMERA","version":"1.0"}],' +
        '"nodes":[{"name":"camera_node_override","interface":"123456789012::MY_CAMERA.MY_CAMERA"},' +
        '{"name":"region_override","interface":"string","value":"MY_REGION"},' +
        '{"name":"device_id_override","interface":"string","value":"MY_DEVICE_ID"},' +
        '{"name":"log_level_override","interface":"string","value":"INFO"}],' +
        '"nodeOverrides":[{"replace":"region","with":[{"name":"region_override"}]},' +
        '{"replace":"device_id","with":[{"name":"device_id_override"}]},' +
        '{"replace":"log_level","with":[{"name":"log_level_override"}]},' +
        '{"replace":"camera_node","with":[{"name":"camera_node_override"}]}]}}',
    );
    assert.equal(manifestOverrides(dgOverrideArgs(), { manifest: graph }), text);
  });

  it("accepts several cameras with launch onSignal for one node (multiplexing)", () => {
    const a: PackageRef = { owner: ACCOUNT, name: "CAMERA_A", version: "1.0" };
    const b: PackageRef = { owner: ACCOUNT, name: "CAMERA_B", version: "1.0" };
    const text = manifestOverrides(
      {
        packages: [a, b],
        nodes: [
          { name: "CAMERA_A", package: a, interfaceName: "CAMERA_A", launch: "onAppStart" },
          { name: "CAMERA_B", package: b, interfaceName: "CAMERA_B", launch: "onSignal" },
        ],
        nodeOverrides: [{ replace: "camera_node", with: ["CAMERA_A", "CAMERA_B"] }],
      },
      { manifest: dgSampleGraph() },
    );
    assert.deepEqual(JSON.parse(text).nodeGraphOverrides.nodeOverrides, [
      { replace: "camera_node", with: [{ name: "CAMERA_A" }, { name: "CAMERA_B" }] },
    ]);
  });

  it("checks the overrides against the graph they apply to", () => {
    const args = dgOverrideArgs();
    args.nodeOverrides[3] = { replace: "output_node", with: ["camera_node_override"] };
    args.nodeOverrides.push(
      { replace: "screen", with: ["ghost"] },
      { replace: "region", with: ["region_override"] },
    );
    args.nodes.push({ name: "x", interface: "123456789012::UNDECLARED.i" } as any);
    assert.deepEqual(thrown(() => manifestOverrides(args, { manifest: graph })).problems, [
      'nodeGraphOverrides.nodes[4].interface: uses package "123456789012::UNDECLARED", which is not declared in nodeGraphOverrides.packages or nodeGraph.packages',
      'nodeGraphOverrides.nodeOverrides[3].replace: node "output_node" is not overridable in the application manifest',
      'nodeGraphOverrides.nodeOverrides[4].replace: node "screen" is not declared in nodeGraph.nodes',
      'nodeGraphOverrides.nodeOverrides[4].with[0].name: node "ghost" is not declared in nodeGraphOverrides.nodes',
      'nodeGraphOverrides.nodeOverrides[5].replace: node "region" is already replaced at nodeGraphOverrides.nodeOverrides[0]',
      'nodeGraphOverrides.nodeOverrides: node "camera_node" is overrideMandatory in the application manifest and must be replaced',
    ]);
  });

  it("without the graph, checks only what the overrides say on their own", () => {
    assert.deepEqual(validateManifestOverrides(manifestOverrides(dgOverrideArgs())), []);
    // Interfaces may use packages of the graph, and replace names graph nodes: not checkable alone.
    assert.deepEqual(
      validateManifestOverrides({
        nodeGraphOverrides: {
          envelopeVersion: "2021-01-01",
          nodes: [
            { name: "cam2", interface: "panorama::abstract_rtsp_media_source.rtsp_v1_interface" },
          ],
          nodeOverrides: [{ replace: "camera_node", with: [{ name: "cam2" }, { name: "cam3" }] }],
        },
      }),
      [
        'nodeGraphOverrides.nodeOverrides[0].with[1].name: node "cam3" is not declared in nodeGraphOverrides.nodes',
      ],
    );
  });

  it("reports schema violations by field path", () => {
    assert.deepEqual(validateManifestOverrides(""), [], "an empty payload means no overrides");
    assert.deepEqual(validateManifestOverrides({ nodeGraphOverrides: {} }), [
      'nodeGraphOverrides.envelopeVersion: is required ("2021-01-01")',
    ]);
    assert.deepEqual(
      validateManifestOverrides({
        nodeGraphOverrides: {
          envelopeVersion: "2021-01-01",
          nodeOverrides: [
            { replace: "bad name", with: "x" },
            { replace: "a", with: [{ name: "b", extra: 1 }] },
          ],
          edges: [],
          bogus: true,
        },
      }),
      [
        "nodeGraphOverrides.bogus: is not allowed (allowed: envelopeVersion, description, packages, nodes, edges, nodeOverrides, networkRoutingRules)",
        `nodeGraphOverrides.nodeOverrides[0].replace: must match ${NODE_NAME_PATTERN.source} (got "bad name")`,
        'nodeGraphOverrides.nodeOverrides[0].with: must be a list (got "x")',
        "nodeGraphOverrides.nodeOverrides[1].with[0].extra: is not allowed (allowed: name)",
        'nodeGraphOverrides.nodeOverrides[1].with[0].name: node "b" is not declared in nodeGraphOverrides.nodes',
      ],
    );
    assert.deepEqual(validateManifestOverrides("{}\n"), [
      "manifestOverridesPayload.payloadData: must match ^.*$ (ManifestOverridesPayloadData); remove line breaks, e.g. send compact JSON",
      "nodeGraphOverrides: is required and must be an object",
    ]);
  });

  it("refuses to check against an invalid graph", () => {
    const problems = validateManifestOverrides(manifestOverrides(dgOverrideArgs()), {
      manifest: "{}",
    });
    assert.deepEqual(problems, [
      "(manifest): the application manifest the overrides apply to is invalid: nodeGraph: is required and must be an object",
    ]);
  });
});

describe("the plain builders without Pulumi", () => {
  it("load and run without loading @pulumi/pulumi", () => {
    const script =
      "const m = require('./provider/manifest/applicationManifest');" +
      "m.applicationManifest({packages:[{owner:'panorama',name:'hdmi_data_sink',version:'1.0'}],nodes:[{name:'o',interface:'panorama::hdmi_data_sink.hdmi0'}]});" +
      "process.stdout.write(String(Object.keys(require.cache).some((k) => k.includes('@pulumi'))));";
    const out = execFileSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "-e", script],
      {
        cwd: path.join(__dirname, "..", ".."),
        encoding: "utf8",
      },
    );
    assert.equal(out, "false");
  });
});

describe("Output-aware wrappers under Pulumi mocks", () => {
  const settings = require("@pulumi/pulumi/runtime/settings");

  class ImportJob extends pulumi.CustomResource {
    declare readonly packageName: pulumi.Output<string>;
    declare readonly packageVersion: pulumi.Output<string>;
    declare readonly patchVersion: pulumi.Output<string>;
    constructor(name: string) {
      super("test:index:ImportJob", name, {
        packageName: undefined,
        packageVersion: undefined,
        patchVersion: undefined,
      });
    }
  }
  class Package extends pulumi.CustomResource {
    declare readonly arn: pulumi.Output<string>;
    constructor(name: string) {
      super("test:index:Package", name, { arn: undefined });
    }
  }

  async function useMocks(preview: boolean) {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          if (preview) return { id: undefined as any, state: {} };
          if (args.type === "test:index:Package")
            return { id: "package-1", state: { arn: PACKAGE_ARN } };
          return {
            id: "job-1",
            state: { packageName: "SAMPLE_CODE", packageVersion: "1.0", patchVersion: PATCH },
          };
        },
        call: () => ({}),
      },
      "project",
      "stack",
      preview,
    );
  }

  /** Resolves with the Output's value, `undefined` while unknown; rejects if building it threw. */
  function settle<T>(o: pulumi.Output<T>): Promise<T | undefined> {
    return (o as any).promise() as Promise<T | undefined>;
  }

  after(() => settings._reset());

  describe("during an update", () => {
    before(() => useMocks(false));

    it("builds the same text as the plain builder from import-job outputs, depending on the job", async () => {
      const pkg = new Package("code-package");
      const job = new ImportJob("code-import");
      const code = packageRefOutput({
        packageArn: pkg.arn,
        packageName: job.packageName,
        packageVersion: job.packageVersion,
        patchVersion: job.patchVersion,
      });
      const manifest = applicationManifestOutput({
        ...dgSampleArgs(),
        packages: [code, ...dgSampleArgs().packages.slice(1)],
        nodes: [
          { name: "code_node", package: code, interfaceName: "interface" },
          ...dgSampleArgs().nodes.slice(1),
        ],
      });
      const expected = applicationManifest(
        dgSampleArgs({ owner: ACCOUNT, name: "SAMPLE_CODE", version: "1.0", patchVersion: PATCH }),
      );
      assert.equal(await settle(manifest), expected);
      const dependsOn: Set<pulumi.Resource> = await (manifest as any).allResources();
      assert.ok(dependsOn.has(job), "the manifest depends on the import job");
      assert.ok(dependsOn.has(pkg), "the manifest depends on the package");
    });

    it("accepts plain values mixed with outputs, and fails the Output when the graph is invalid", async () => {
      const job = new ImportJob("bad-import");
      const ok = applicationManifestOutput({
        packages: [{ owner: "panorama", name: "hdmi_data_sink", version: pulumi.output("1.0") }],
        nodes: [
          { name: "out", interface: pulumi.interpolate`panorama::hdmi_data_sink.${"hdmi0"}` },
        ],
      });
      assert.match((await settle(ok))!, /"interface":"panorama::hdmi_data_sink.hdmi0"/);
      const bad = applicationManifestOutput({
        packages: [
          {
            owner: ACCOUNT,
            name: job.packageName,
            version: job.packageVersion,
            patchVersion: job.patchVersion,
          },
        ],
        nodes: [{ name: "code node", interface: `${ACCOUNT}::SAMPLE_CODE.interface` }],
      });
      await assert.rejects(settle(bad), (e: unknown) => {
        assert.ok(e instanceof ManifestValidationError);
        assert.deepEqual(e.problems, [
          `nodeGraph.nodes[0].name: must match ${NODE_NAME_PATTERN.source} (got "code node")`,
        ]);
        return true;
      });
    });

    it("builds overrides from outputs, checked against a manifest Output", async () => {
      const overrides = manifestOverridesOutput(
        {
          packages: [{ owner: ACCOUNT, name: "MY_CAMERA", version: pulumi.output("1.0") }],
          nodes: [{ name: "cam", interface: pulumi.output(`${ACCOUNT}::MY_CAMERA.MY_CAMERA`) }],
          nodeOverrides: [{ replace: "camera_node", with: [pulumi.output("cam")] }],
        },
        { manifest: pulumi.output(JSON.stringify(dgSampleGraph())) },
      );
      assert.deepEqual(JSON.parse((await settle(overrides))!).nodeGraphOverrides.nodeOverrides, [
        { replace: "camera_node", with: [{ name: "cam" }] },
      ]);
    });
  });

  describe("during a preview, with the import job's outputs not known yet", () => {
    before(() => useMocks(true));

    it("leaves the manifest unknown instead of failing validation", async () => {
      const job = new ImportJob("pending-import");
      const manifest = applicationManifestOutput({
        ...dgSampleArgs(),
        packages: [
          packageRefOutput({
            ownerAccount: ACCOUNT,
            packageName: "SAMPLE_CODE",
            packageVersion: "1.0",
            patchVersion: job.patchVersion,
          }),
          ...dgSampleArgs().packages.slice(1),
        ],
      });
      assert.equal(await (manifest as any).isKnown, false);
      assert.equal(await settle(manifest), undefined);
    });
  });
});

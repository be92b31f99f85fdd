// A valid application (built-in packages only, so it deploys on any emulator without imports) and
// documents that each break one rule of graph.json or its overrides: a table the provider's and
// the emulator's checks must both refuse, with the same sentences.

/** graph.json with an interface node of each kind of edge and a value node of each type. */
export function validGraph(): any {
  return {
    nodeGraph: {
      envelopeVersion: "2021-01-01",
      description: "lobby camera to screen",
      packages: ["abstract_rtsp_media_source", "hdmi_data_sink"].map((name) => ({
        name: `panorama::${name}`,
        version: "1.0",
      })),
      nodes: [
        {
          name: "camera_node",
          interface: "panorama::abstract_rtsp_media_source.rtsp_v1_interface",
          overridable: true,
          launch: "onAppStart",
          decorator: { title: "Camera", description: "Choose a stream." },
        },
        { name: "output_node", interface: "panorama::hdmi_data_sink.hdmi0" },
        { name: "log_level", interface: "string", value: "INFO", overridable: true },
        { name: "threshold", interface: "float32", value: 0.5 },
        { name: "frames", interface: "int32", value: 30 },
        { name: "debug", interface: "boolean", value: false },
      ],
      edges: [
        { producer: "camera_node.video_out", consumer: "output_node.video_in" },
        { producer: "log_level", consumer: "output_node.log_level" },
      ],
      networkRoutingRules: [{ node: "output_node", containerPort: 8080, hostPort: 80 }],
    },
  };
}

/** Overrides for validGraph(): a second camera and a new log level. */
export function validOverrides(): any {
  return {
    nodeGraphOverrides: {
      envelopeVersion: "2021-01-01",
      packages: [{ name: "panorama::abstract_rtsp_media_source", version: "1.0" }],
      nodes: [
        { name: "cam_a", interface: "panorama::abstract_rtsp_media_source.rtsp_v1_interface" },
        { name: "verbose", interface: "string", value: "DEBUG" },
      ],
      nodeOverrides: [
        { replace: "camera_node", with: [{ name: "cam_a" }] },
        { replace: "log_level", with: [{ name: "verbose" }] },
      ],
    },
  };
}

type Change = (doc: any) => void;
const inGraph = (change: Change) => (doc: any) => change(doc.nodeGraph);
const inOverrides = (change: Change) => (doc: any) => change(doc.nodeGraphOverrides);

/** [what breaks, the change to validGraph()]. */
export const BAD_GRAPHS: [string, Change][] = [
  ["an unknown member at the root", (d) => (d.graph = {})],
  ["no nodeGraph", (d) => delete d.nodeGraph],
  ["an unknown member of nodeGraph", inGraph((g) => (g.extra = 1))],
  ["another envelope version", inGraph((g) => (g.envelopeVersion = "2022-01-01"))],
  ["a description over 255 characters", inGraph((g) => (g.description = "d".repeat(256)))],
  ["no packages", inGraph((g) => delete g.packages)],
  ["no nodes", inGraph((g) => (g.nodes = []))],
  ["a package name without owner", inGraph((g) => (g.packages[1].name = "hdmi_data_sink"))],
  ["a version that is not major.minor", inGraph((g) => (g.packages[0].version = "1"))],
  ["a patch version the API cannot name", inGraph((g) => (g.packages[0].patchVersion = "A-1"))],
  ["a package listed twice", inGraph((g) => g.packages.push({ ...g.packages[1] }))],
  ["a node name with a space", inGraph((g) => (g.nodes[5].name = "de bug"))],
  ["a node name over 128 characters", inGraph((g) => (g.nodes[5].name = "n".repeat(129)))],
  ["a node declared twice", inGraph((g) => (g.nodes[5].name = "frames"))],
  ["an interface of no package", inGraph((g) => (g.nodes[1].interface = "hdmi0"))],
  ["an interface of an unlisted package", inGraph((g) => (g.nodes[1].interface = "a::b.c"))],
  ["no interface", inGraph((g) => delete g.nodes[1].interface)],
  ["a value on an interface node", inGraph((g) => (g.nodes[1].value = 1))],
  ["launch on a value node", inGraph((g) => (g.nodes[2].launch = "onSignal"))],
  ["an unknown launch mode", inGraph((g) => (g.nodes[0].launch = "later"))],
  ["a string for a float32 node", inGraph((g) => (g.nodes[3].value = "0.5"))],
  ["a float32 out of range", inGraph((g) => (g.nodes[3].value = 1e39))],
  ["a fraction for an int32 node", inGraph((g) => (g.nodes[4].value = 2.5))],
  ["an int32 out of range", inGraph((g) => (g.nodes[4].value = 2 ** 31))],
  ["a string for a boolean node", inGraph((g) => (g.nodes[5].value = "false"))],
  ["a non-boolean overridable", inGraph((g) => (g.nodes[1].overridable = "yes"))],
  ["an empty decorator title", inGraph((g) => (g.nodes[0].decorator.title = ""))],
  ["an unknown decorator member", inGraph((g) => (g.nodes[0].decorator.icon = "x"))],
  ["an edge end that breaks the pattern", inGraph((g) => (g.edges[0].producer = "a b"))],
  ["an edge to an undeclared node", inGraph((g) => (g.edges[0].consumer = "screen.in"))],
  ["an edge without consumer", inGraph((g) => delete g.edges[1].consumer)],
  ["a value node that consumes", inGraph((g) => (g.edges[0].consumer = "log_level"))],
  [
    "an interface node producing without port",
    inGraph((g) => (g.edges[0].producer = "camera_node")),
  ],
  ["a port on a value node", inGraph((g) => (g.edges[1].producer = "log_level.out"))],
  [
    "a routing rule without containerPort",
    inGraph((g) => delete g.networkRoutingRules[0].containerPort),
  ],
  ["a routing rule to port 0", inGraph((g) => (g.networkRoutingRules[0].containerPort = 0))],
];

/** [what breaks, the change to validOverrides(), the change to validGraph()]. */
export const BAD_OVERRIDES: [string, Change, Change?][] = [
  ["an unknown member", inOverrides((o) => (o.bogus = true))],
  ["no envelope version", inOverrides((o) => delete o.envelopeVersion)],
  ["a with that is not a list", inOverrides((o) => (o.nodeOverrides[0].with = "cam_a"))],
  [
    "a replacement of a node not overridable",
    inOverrides((o) => (o.nodeOverrides[0].replace = "output_node")),
  ],
  [
    "a replacement of an undeclared node",
    inOverrides((o) => (o.nodeOverrides[0].replace = "screen")),
  ],
  ["a node replaced twice", inOverrides((o) => o.nodeOverrides.push(o.nodeOverrides[0]))],
  [
    "a with naming no override node",
    inOverrides((o) => (o.nodeOverrides[0].with[0].name = "cam_b")),
  ],
  [
    "an override node of an unlisted package",
    inOverrides((o) => (o.nodes[0].interface = "a::b.c")),
  ],
  [
    "an edge to an unknown node",
    inOverrides((o) => (o.edges = [{ producer: "x.y", consumer: "cam_a.in" }])),
  ],
  [
    "a mandatory override left out",
    inOverrides((o) => (o.nodeOverrides = [o.nodeOverrides[1]])),
    inGraph((g) => (g.nodes[0].overrideMandatory = true)),
  ],
];

export function changed<T>(make: () => T, change?: Change): T {
  const doc = make();
  change?.(doc);
  return doc;
}

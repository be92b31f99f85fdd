// A panorama-cli project as data (reference §7): `graphs/<app>/graph.json`,
// `packages/<account>-<PackageName>-<version>/package.json` and `assets/<sha256>.<ext>`.
// Everything here is plain and synchronous: it runs when the program runs, so a broken project
// fails before any call, with the file and the rule in the message.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { BUILT_IN_OWNER } from "../../model/graphRules";
import { ApplicationManifest, GraphNode, PackageInclude } from "../manifest/manifestTypes";
import { UsageError } from "../userError";

/** A file uploaded under a content-addressed name: `<sha256><extension>`. */
export interface ProjectAsset {
  /** The file in the project's assets/ directory. */
  file: string;
  sha256: string;
  /** `<sha256><extension>`, the name package.json refers to once pinned to the bytes. */
  uri: string;
  contentType: string;
}

export interface ProjectPackage {
  /** `packages/<dir>`. */
  dir: string;
  /** The account in the directory name (the project author's, before import-application). */
  sourceAccount: string;
  name: string;
  version: string;
  /** Assets and descriptors of non-system implementations. */
  assets: ProjectAsset[];
  /** The package manifest as uploaded and imported (asset URIs pinned to the bytes). */
  manifest: string;
  /** sha256 of `manifest`: the patch version the import registers. */
  manifestSha256: string;
  /** Interface names package.json declares. */
  interfaces: string[];
}

export interface PanoramaProject {
  dir: string;
  graphName: string;
  /** graph.json, parsed. */
  graph: ApplicationManifest;
  packages: ProjectPackage[];
}

/** Thrown for a project that cannot be deployed; the message names the file and what to fix. */
export class ProjectError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "ProjectError";
  }
}

/** Reads a panorama-cli project: the graph to deploy and every package under packages/. */
export function readPanoramaProject(projectDir: string, graphName?: string): PanoramaProject {
  const dir = path.resolve(projectDir);
  if (!isDir(dir))
    throw new ProjectError(
      `projectDir: ${dir} ${fs.existsSync(dir) ? "is not a directory" : "does not exist"}.`,
    );
  for (const sub of ["graphs", "packages", "assets"])
    if (!isDir(path.join(dir, sub)))
      throw new ProjectError(
        `projectDir: ${dir} is not a panorama-cli project (no ${sub}/ directory).`,
      );
  const graphs = fs
    .readdirSync(path.join(dir, "graphs"))
    .filter((g) => fs.existsSync(path.join(dir, "graphs", g, "graph.json")));
  const chosen = graphName ?? (graphs.length === 1 ? graphs[0] : undefined);
  if (chosen === undefined || !graphs.includes(chosen))
    throw new ProjectError(
      `graph: ${graphName === undefined ? "the project has several graphs; name one" : `${dir}/graphs/${graphName}/graph.json does not exist`} (graphs: ${graphs.join(", ") || "none"}).`,
    );
  const graphFile = path.join(dir, "graphs", chosen, "graph.json");
  const graph = readJson(graphFile) as ApplicationManifest;
  if (
    !graph?.nodeGraph ||
    !Array.isArray(graph.nodeGraph.packages) ||
    !Array.isArray(graph.nodeGraph.nodes)
  )
    throw new ProjectError(
      `${graphFile}: must hold {"nodeGraph": {"packages": [...], "nodes": [...]}}.`,
    );
  const packages = fs
    .readdirSync(path.join(dir, "packages"))
    .filter((p) => fs.existsSync(path.join(dir, "packages", p, "package.json")))
    .sort()
    .map((p) => readPackage(dir, p));
  const project = { dir, graphName: chosen, graph, packages };
  checkGraphPackages(project);
  return project;
}

/** graph.json's file, for messages. */
export function graphFile(project: PanoramaProject): string {
  return path.join(project.dir, "graphs", project.graphName, "graph.json");
}

/**
 * Throws the first graph.json package that cannot be pinned (not built in, not in packages/, or
 * another version) — the same rule the deployment pins by, checked before anything is created.
 */
export function checkGraphPackages(project: PanoramaProject): void {
  const placeholder = { account: "000000000000", patchVersion: "0" };
  pinnedGraph(project, Object.fromEntries(project.packages.map((p) => [p.name, placeholder])));
}

function readPackage(projectDir: string, dirName: string): ProjectPackage {
  const file = path.join(projectDir, "packages", dirName, "package.json");
  const bytes = fs.readFileSync(file);
  const doc = parseJson(bytes, file);
  const p = doc?.nodePackage;
  const fields = dirName.split("-");
  // panorama-cli recovers the name by dropping the first and last dash-separated fields.
  if (fields.length < 3 || !/^\d{12}$/.test(fields[0]))
    throw new ProjectError(
      `packages/${dirName}: a package directory is named <account>-<PackageName>-<version>, e.g. 123456789012-SAMPLE_CODE-1.0.`,
    );
  if (
    typeof p?.name !== "string" ||
    typeof p?.version !== "string" ||
    !Array.isArray(p?.interfaces)
  )
    throw new ProjectError(
      `${file}: must hold {"nodePackage": {"name", "version", "interfaces": [...]}}.`,
    );
  if (p.name !== fields.slice(1, -1).join("-"))
    throw new ProjectError(
      `${file}: nodePackage.name is "${p.name}", but the directory names package "${fields.slice(1, -1).join("-")}".`,
    );

  const assets: ProjectAsset[] = [];
  let changed = false;
  for (const [i, asset] of (Array.isArray(p.assets) ? p.assets : []).entries())
    for (const [j, impl] of (Array.isArray(asset?.implementations)
      ? asset.implementations
      : []
    ).entries()) {
      if (impl?.type === "system") continue; // built into the appliance
      for (const member of ["assetUri", "descriptorUri"] as const) {
        if (impl[member] === undefined) continue;
        const at = `${file}: nodePackage.assets[${i}].implementations[${j}].${member}`;
        const a = contentAddressed(projectDir, String(impl[member]), at);
        if (a.uri !== impl[member]) {
          impl[member] = a.uri;
          changed = true;
        }
        if (!assets.some((x) => x.uri === a.uri)) assets.push(a);
      }
    }
  // Unchanged projects upload package.json byte for byte, as panorama-cli does.
  const manifest = changed ? JSON.stringify(doc, null, 4) + "\n" : bytes.toString("utf8");
  return {
    dir: dirName,
    sourceAccount: fields[0],
    name: p.name,
    version: p.version,
    assets,
    manifest,
    manifestSha256: sha256(Buffer.from(manifest, "utf8")),
    interfaces: p.interfaces.map((f: { name: string }) => f.name),
  };
}

/** The asset file, named for its bytes (a file edited in place gets a new name, hence a new patch). */
function contentAddressed(projectDir: string, uri: string, at: string): ProjectAsset {
  const file = path.join(projectDir, "assets", uri);
  if (
    path.dirname(path.relative(path.join(projectDir, "assets"), file)) !== "." ||
    !fs.existsSync(file)
  )
    throw new ProjectError(
      `${at}: "${uri}" is not a file in ${path.join(projectDir, "assets")}. Build the package (panorama-cli build-container) or fix the URI.`,
    );
  const digest = sha256(fs.readFileSync(file));
  const base = path.basename(uri);
  const extension = base.includes(".") ? base.slice(base.indexOf(".")) : "";
  return {
    file,
    sha256: digest,
    uri: `${digest}${extension}`,
    contentType: extension === ".json" ? "application/json" : "application/octet-stream",
  };
}

/** What each project package was imported as. */
export interface ImportedPatch {
  account: string;
  patchVersion: string;
}

/**
 * graph.json with every project package moved to the target account (as import-application
 * does) and pinned to exactly the imported patch; `panorama::` packages stay as they are.
 */
export function pinnedGraph(
  project: PanoramaProject,
  imported: Record<string, ImportedPatch>,
): ApplicationManifest {
  const g = project.graph.nodeGraph;
  return {
    nodeGraph: {
      ...g,
      packages: g.packages.map((p, i) =>
        pinnedInclude(project, p, imported, `${graphFile(project)}: nodeGraph.packages[${i}]`),
      ),
      nodes: g.nodes.map((n) => retargetedNode(project, n, imported)),
    },
  };
}

/** A graph.json package entry pinned to the imported patch (built-in packages untouched). */
export function pinnedInclude(
  project: PanoramaProject,
  include: PackageInclude,
  imported: Record<string, ImportedPatch>,
  where: string,
): PackageInclude {
  const [owner, name] = String(include.name).split("::");
  if (owner === BUILT_IN_OWNER) return include;
  const pkg = project.packages.find((p) => p.name === name);
  if (!pkg || !imported[name])
    throw new ProjectError(
      `${where}: ${include.name} is neither a ${BUILT_IN_OWNER}:: package nor one of packages/ (${project.packages.map((p) => p.name).join(", ")}).`,
    );
  if (include.version !== pkg.version)
    throw new ProjectError(
      `${where}: ${include.name} version ${include.version}, but packages/${pkg.dir} is version ${pkg.version}.`,
    );
  return {
    name: `${imported[name].account}::${name}`,
    version: pkg.version,
    patchVersion: imported[name].patchVersion,
  };
}

function retargetedNode(
  project: PanoramaProject,
  node: GraphNode,
  imported: Record<string, ImportedPatch>,
): GraphNode {
  const m = /^([^:]+)::([^.]+)\.(.+)$/.exec(node.interface);
  if (!m || m[1] === BUILT_IN_OWNER || !imported[m[2]]) return node;
  return { ...node, interface: `${imported[m[2]].account}::${m[2]}.${m[3]}` } as GraphNode;
}

export function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function readJson(file: string): any {
  if (!fs.existsSync(file)) throw new ProjectError(`${file} does not exist.`);
  return parseJson(fs.readFileSync(file), file);
}

function parseJson(bytes: Buffer, file: string): any {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new ProjectError(`${file} is not valid JSON: ${(e as Error).message}.`);
  }
}

function isDir(p: string): boolean {
  return fs.existsSync(p) && fs.statSync(p).isDirectory();
}

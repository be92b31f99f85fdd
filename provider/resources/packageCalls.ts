// What the parts of Package share: DescribePackage, the outputs merged from it, its tags (the
// program's plus the packageKey marker) and how messages name it.
import {
  DescribePackageCommand,
  DescribePackageResponse,
  PanoramaClient,
} from "@aws-sdk/client-panorama";
import { definedOnly, fromApi } from "../lifecycle/apiShapes";
import { describeOrUndefined } from "../lifecycle/notFound";
import type { Props } from "../lifecycle/resourceSpec";
import { ownTags, Tags } from "../lifecycle/tags";

/** The tag that marks a package as a Package resource's (see `packageKey`). */
export const PACKAGE_KEY_TAG = "pulumi-panorama:packageKey";

/** The tags the package carries for this resource: the program's and the packageKey marker. */
export function packageTags(p: Props): Tags {
  return { ...(p.tags ?? {}), ...(p.packageKey ? { [PACKAGE_KEY_TAG]: p.packageKey } : {}) };
}

/** DescribePackage, or undefined when the package does not exist. */
export function describe(
  client: PanoramaClient,
  id: string,
): Promise<DescribePackageResponse | undefined> {
  return describeOrUndefined(() => client.send(new DescribePackageCommand({ PackageId: id })));
}

/** Merges a DescribePackage answer into outputs; of the tags only the program's keys are kept. */
export function merge(outs: Props, described: Partial<DescribePackageResponse>): Props {
  const d = fromApi("DescribePackageResponse", described) as Props;
  return definedOnly({ ...outs, ...d, tags: ownTags(described.Tags, outs.tags) });
}

export function label(p: Props): string {
  return `Package ${p.packageName ?? p.packageId ?? p.adoptPackageId ?? "?"}`;
}

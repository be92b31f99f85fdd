// The lifecycle matrix for Package, PackageImportJob and ApplicationInstance (see matrix.ts).
import { describeLifecycle } from "./matrix";
import { APPLICATION_INSTANCE, PACKAGE, PACKAGE_IMPORT_JOB } from "./entries";

for (const entry of [PACKAGE, PACKAGE_IMPORT_JOB, APPLICATION_INSTANCE]) describeLifecycle(entry);
